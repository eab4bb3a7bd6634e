package dev.gossip.akka;

import com.typesafe.config.ConfigFactory;
import dev.gossip.core.MessageId;
import dev.gossip.pekko.Gossip;
import dev.gossip.pekko.GossipEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;

/** A node of the Pekko flavour (gossip-pekko) on loopback, the Pekko twin of {@link TestNode}. */
final class PekkoNode implements AutoCloseable {

  final ActorSystem<Void> system;
  final Gossip gossip;
  final Map<MessageId, AtomicInteger> deliveries = new ConcurrentHashMap<>();

  PekkoNode(String name) throws Exception {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            name,
            ConfigFactory.parseString(
                    "gossip.preset = local"
                        + "\npekko.loglevel = WARNING"
                        + "\npekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]"
                        + "\npekko.logging-filter ="
                        + " \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"")
                .withFallback(ConfigFactory.load())
                .resolve());
    gossip = Gossip.start(system).toCompletableFuture().get(10, TimeUnit.SECONDS);
    gossip
        .events()
        .runWith(
            Sink.foreach(
                e -> {
                  if (e instanceof GossipEvent.Delivery d) {
                    deliveries.computeIfAbsent(d.id(), id -> new AtomicInteger()).incrementAndGet();
                  }
                }),
            system);
  }

  String address() {
    return gossip.self().host() + ":" + gossip.self().port();
  }

  int delivered(MessageId id) {
    AtomicInteger n = deliveries.get(id);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node did not stop", e);
    }
  }
}
