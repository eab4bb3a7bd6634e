package dev.gossip.micrometer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.gossip.pekko.DropReason;
import dev.gossip.pekko.Gossip;
import dev.gossip.pekko.GossipEvent;
import dev.gossip.pekko.GossipExtension;
import dev.gossip.pekko.MetricsSnapshot;
import dev.gossip.pekko.TlsRejection;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GossipMetricsTest {

  private final List<ActorSystem<Void>> systems = new ArrayList<>();

  @AfterEach
  void stop() {
    systems.forEach(ActorSystem::terminate);
  }

  /** A snapshot whose every value differs, so a meter reading the wrong one is caught. */
  private static final MetricsSnapshot DISTINCT =
      new MetricsSnapshot(
          1,
          2,
          3,
          4,
          5,
          Map.of(DropReason.OVERSIZE, 6L, DropReason.RATE_LIMITED, 7L),
          8,
          9,
          10,
          11,
          12,
          13,
          14,
          15,
          16,
          17,
          18,
          0.25,
          19,
          Map.of(TlsRejection.EXPIRED, 20L),
          21,
          22,
          23);

  @Test
  void everyCounterAndGaugeOfTheSnapshotIsAMeter() {
    MeterRegistry registry = new SimpleMeterRegistry();
    new GossipMetrics(() -> DISTINCT, Tags.of("node", "a")).bindTo(registry);

    Map<String, Double> counters =
        Map.ofEntries(
            Map.entry("gossip.delivered", 1.0),
            Map.entry("gossip.duplicates", 2.0),
            Map.entry("gossip.ihave.sent", 3.0),
            Map.entry("gossip.graft.sent", 4.0),
            Map.entry("gossip.prune.sent", 5.0),
            Map.entry("gossip.queue.drops", 8.0),
            Map.entry("gossip.subscriber.lag", 9.0),
            Map.entry("gossip.bytes.sent", 10.0),
            Map.entry("gossip.bytes.received", 11.0),
            Map.entry("gossip.tls.reloads", 21.0),
            Map.entry("gossip.tls.reload.failures", 22.0),
            Map.entry("gossip.failures", 23.0));
    counters.forEach(
        (name, value) ->
            assertEquals(
                value, registry.get(name).tag("node", "a").functionCounter().count(), name));
    Map<String, Double> gauges =
        Map.of(
            "gossip.active.view.size", 12.0,
            "gossip.passive.view.size", 13.0,
            "gossip.eager.peers", 14.0,
            "gossip.lazy.peers", 15.0,
            "gossip.links.open", 16.0,
            "gossip.inbound.queued", 17.0,
            "gossip.inbound.queued.peak", 18.0,
            "gossip.rmr", 0.25,
            "gossip.ldh", 19.0);
    gauges.forEach(
        (name, value) ->
            assertEquals(value, registry.get(name).tag("node", "a").gauge().value(), name));

    for (DropReason reason : DropReason.values()) {
      assertEquals(
          DISTINCT.framesDropped(reason), count(registry, "gossip.frames.dropped", reason));
    }
    for (TlsRejection reason : TlsRejection.values()) {
      assertEquals(
          DISTINCT.tlsRejections(reason), count(registry, "gossip.tls.rejections", reason));
    }

    // One meter per scalar component, one per reason for the two maps: nothing left out.
    int scalars = MetricsSnapshot.class.getRecordComponents().length - 2;
    int expected = scalars + DropReason.values().length + TlsRejection.values().length;
    assertEquals(counters.size() + gauges.size(), scalars);
    assertEquals(expected, registry.getMeters().size());
    for (Meter meter : registry.getMeters()) {
      assertTrue(
          meter instanceof FunctionCounter || meter instanceof Gauge, meter.getId().toString());
    }
  }

  private static double count(MeterRegistry registry, String name, Enum<?> reason) {
    return registry
        .get(name)
        .tag("reason", reason.name().toLowerCase(Locale.ROOT))
        .functionCounter()
        .count();
  }

  @Test
  void theMetersLiveAsLongAsTheRegistryThoughTheBinderAndSupplierAreGone() {
    MeterRegistry registry = new SimpleMeterRegistry();
    // A capturing lambda: a new object only the binder refers to (a constant one would be cached).
    MetricsSnapshot snapshot = DISTINCT;
    new GossipMetrics(() -> snapshot).bindTo(registry);
    System.gc();
    assertEquals(1.0, registry.get("gossip.delivered").functionCounter().count());
    assertEquals(12.0, registry.get("gossip.active.view.size").gauge().value());
  }

  @Test
  void aRealNodeIsMeasured() throws Exception {
    Gossip contact = start();
    contact.join(List.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    Gossip node = start();
    CompletableFuture<Void> delivered = new CompletableFuture<>();
    CompletableFuture<Void> linked = new CompletableFuture<>();
    node.events()
        .runForeach(
            e -> {
              if (e instanceof GossipEvent.Delivery) {
                delivered.complete(null);
              } else if (e instanceof GossipEvent.MembershipChanged m
                  && m.membership().activeView().size() == 1) {
                // Published after the membership role set its gauges.
                linked.complete(null);
              }
            },
            systems.get(systems.size() - 1));
    MeterRegistry registry = new SimpleMeterRegistry();
    new GossipMetrics(node::metrics).bindTo(registry);
    String address = contact.self().host() + ":" + contact.self().port();
    node.join(List.of(address)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    node.broadcast("hello".getBytes(UTF_8)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    delivered.get(20, TimeUnit.SECONDS);
    linked.get(20, TimeUnit.SECONDS);

    // The counter is counted before the delivery is published; the Hello went out on the join.
    assertEquals(1.0, registry.get("gossip.delivered").functionCounter().count());
    assertEquals(1.0, registry.get("gossip.active.view.size").gauge().value());
    assertTrue(registry.get("gossip.links.open").gauge().value() >= 1);
    assertTrue(registry.get("gossip.bytes.sent").functionCounter().count() > 0);
    assertEquals(
        0.0,
        registry.get("gossip.frames.dropped").tag("reason", "malformed").functionCounter().count());
  }

  private Gossip start() throws Exception {
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "metrics" + systems.size(),
            ConfigFactory.parseString(
                    "gossip.preset = local\n"
                        // As in gossip-pekko's tests: a busy machine may schedule a peer late.
                        + "gossip.transport.handshake-timeout = 30 s\n"
                        + "pekko.loglevel = WARNING\n"
                        + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]")
                .withFallback(ConfigFactory.load())
                .resolve());
    systems.add(system);
    return GossipExtension.get(system).gossip().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
