package dev.gossip.bench.cluster;

import com.typesafe.config.Config;
import dev.gossip.pekko.Gossip;
import dev.gossip.pekko.GossipEvent;
import dev.gossip.pekko.MetricsSnapshot;
import dev.gossip.pekko.NodeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * gossip-pekko nodes, all joined through node 0, through the public API only. Each node hands its
 * deliveries to the tracker through an actor subscribed with {@link Gossip#subscribe} or through
 * the {@link Gossip#events(int)} Source.
 */
public final class GossipCluster implements BenchCluster {

  /** How a node's deliveries reach the tracker. */
  public enum Subscriber {
    /** An actor subscribed with {@link Gossip#subscribe}. */
    ACTOR,
    /** The {@link Gossip#events(int)} Source with a 100,000-event buffer. */
    SOURCE;

    /** {@code actor} or {@code source}. */
    public static Subscriber parse(String name) {
      return switch (name) {
        case "actor" -> ACTOR;
        case "source" -> SOURCE;
        default -> throw new IllegalArgumentException("unknown subscriber " + name);
      };
    }
  }

  private final String preset;
  private final Subscriber subscriber;
  private final List<ActorSystem<Void>> systems = new ArrayList<>();
  private final List<Gossip> nodes = new ArrayList<>();
  private boolean[] alive;

  /** A full active view: the configured capacity, or every other node when there are fewer. */
  private int fullView;

  private final AtomicLong missed = new AtomicLong();
  private volatile Tracker tracker;

  public GossipCluster(String preset, Subscriber subscriber) {
    this.preset = preset;
    this.subscriber = subscriber;
  }

  @Override
  public String name() {
    return "gossip";
  }

  @Override
  public void start(int n) throws Exception {
    alive = new boolean[n];
    fullView =
        Math.min(n - 1, NodeSettings.load(config()).protocol().membership().activeViewSize());
    for (int i = 0; i < n; i++) {
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "gossip" + i, config());
      systems.add(system);
      Gossip gossip = Gossip.start(system).toCompletableFuture().get(20, TimeUnit.SECONDS);
      nodes.add(gossip);
      alive[i] = true;
      subscribe(system, gossip, i);
    }
  }

  private void subscribe(ActorSystem<Void> system, Gossip gossip, int node) {
    switch (subscriber) {
      case ACTOR ->
          gossip.subscribe(
              system.systemActorOf(deliveriesTo(node), "bench-subscriber", Props.empty()));
      case SOURCE ->
          gossip
              .events(100_000)
              .runWith(
                  Sink.foreach(
                      e -> {
                        if (e instanceof GossipEvent.Delivery d) {
                          delivered(node, d);
                        } else if (e instanceof GossipEvent.Missed m) {
                          missed.addAndGet(m.count());
                        }
                      }),
                  system);
    }
  }

  private Behavior<GossipEvent> deliveriesTo(int node) {
    return Behaviors.receive(GossipEvent.class)
        .onMessage(
            GossipEvent.Delivery.class,
            d -> {
              delivered(node, d);
              return Behaviors.same();
            })
        // Membership events would otherwise be published as unhandled messages.
        .onAnyMessage(e -> Behaviors.same())
        .build();
  }

  private void delivered(int node, GossipEvent.Delivery d) {
    Tracker t = tracker;
    if (t != null) {
      t.delivered(node, d.payload());
    }
  }

  private Config config() {
    return Configs.with(
        "gossip.preset = "
            + preset
            + "\ngossip.port = 0\ngossip.host = 127.0.0.1"
            // The systems it is measured against, Pekko Artery and JGroups, run plain TCP here.
            + "\ngossip.tls.enabled = off");
  }

  private String address(int i) {
    return nodes.get(i).self().host() + ":" + nodes.get(i).self().port();
  }

  @Override
  public void join() throws Exception {
    nodes.get(0).join(List.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (int i = 1; i < nodes.size(); i++) {
      nodes.get(i).join(List.of(address(0)));
    }
  }

  @Override
  public boolean viewsFull() {
    return nodes.stream().allMatch(g -> g.metrics().activeViewSize() >= fullView);
  }

  @Override
  public String viewSummary() {
    return BenchCluster.viewSizes(
            "active view sizes", alive, i -> nodes.get(i).metrics().activeViewSize())
        + " (full = "
        + fullView
        + ")";
  }

  @Override
  public void track(Tracker tracker) {
    this.tracker = tracker;
  }

  /** The one call of the broadcast API: fire-and-forget, as JGroups' send and Pekko's publish. */
  @Override
  public void broadcast(int node, byte[] payload) {
    nodes.get(node).publish(payload);
  }

  @Override
  public void kill(int node) {
    alive[node] = false;
    systems.get(node).terminate();
  }

  @Override
  public long wireBytesSent() {
    return sumOverLiveNodes(MetricsSnapshot::bytesSent);
  }

  @Override
  public long graftsSent() {
    return sumOverLiveNodes(MetricsSnapshot::graftSent);
  }

  private long sumOverLiveNodes(ToLongFunction<MetricsSnapshot> counter) {
    long sum = 0;
    for (int i = 0; i < nodes.size(); i++) {
      if (alive[i]) {
        sum += counter.applyAsLong(nodes.get(i).metrics());
      }
    }
    return sum;
  }

  @Override
  public long subscriberMissed() {
    return missed.get();
  }

  @Override
  public void close() {
    for (ActorSystem<Void> s : systems) {
      s.terminate();
    }
    for (ActorSystem<Void> s : systems) {
      try {
        s.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        // A system that does not stop in time is left to the JVM's exit.
      }
    }
  }
}
