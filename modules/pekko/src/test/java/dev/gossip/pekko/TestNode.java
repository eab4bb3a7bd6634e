package dev.gossip.pekko;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;

/** One real node on loopback in an ActorSystem of its own, recording what it delivers. */
final class TestNode implements AutoCloseable {

  private static final AtomicInteger SYSTEMS = new AtomicInteger();

  /** Notified whenever a node records an event, so that {@link #await} re-checks at once. */
  private static final Object EVENTS = new Object();

  final ActorSystem<Void> system;
  final Gossip gossip;
  final Map<MessageId, AtomicInteger> deliveries = new ConcurrentHashMap<>();
  final List<GossipEvent> membershipEvents = new CopyOnWriteArrayList<>();

  private TestNode(ActorSystem<Void> system, Gossip gossip) {
    this.system = system;
    this.gossip = gossip;
    gossip
        .events(100_000)
        .runWith(
            Sink.foreach(
                e -> {
                  if (e instanceof GossipEvent.Delivery d) {
                    deliveries.computeIfAbsent(d.id(), id -> new AtomicInteger()).incrementAndGet();
                  } else {
                    membershipEvents.add(e);
                  }
                  synchronized (EVENTS) {
                    EVENTS.notifyAll();
                  }
                }),
            system);
  }

  /** A system configured with the local preset, then {@code extra} (which wins). */
  static Config config(String extra) {
    return ConfigFactory.parseString(
            "gossip.preset = local"
                // Raw-socket peers may be scheduled late on a busy machine; only the tests of the
                // handshake deadline set it shorter.
                + "\ngossip.transport.handshake-timeout = 30 s"
                + "\npekko.loglevel = WARNING"
                + "\npekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]"
                + "\npekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\""
                + "\npekko.actor.default-dispatcher.fork-join-executor.parallelism-max = 2\n"
                + extra)
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  static TestNode start(String extraConfig) {
    return start(extraConfig, null);
  }

  /** A node whose links go through {@code faults} (none if null). */
  static TestNode start(String extraConfig, LinkFaults faults) {
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(), "node" + SYSTEMS.incrementAndGet(), config(extraConfig));
    if (faults != null) {
      LinkFaultsExtension.get(system).install(faults);
    }
    try {
      Gossip gossip = Gossip.start(system).toCompletableFuture().get(10, TimeUnit.SECONDS);
      return new TestNode(system, gossip);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("node did not start", e);
    }
  }

  static TestNode start() {
    return start("");
  }

  String address() {
    return gossip.self().host() + ":" + gossip.self().port();
  }

  /** Whether the last membership event about {@code peer} put it in the active view. */
  boolean isNeighbor(NodeId peer) {
    boolean up = false;
    for (GossipEvent e : membershipEvents) {
      if (e instanceof GossipEvent.NeighborUp u && u.peer().equals(peer)) {
        up = true;
      } else if (e instanceof GossipEvent.NeighborDown d && d.peer().equals(peer)) {
        up = false;
      }
    }
    return up;
  }

  int delivered(MessageId id) {
    AtomicInteger n = deliveries.get(id);
    return n == null ? 0 : n.get();
  }

  /** Stops the node at once: its sockets close as a crashed process's would. */
  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node did not stop", e);
    }
  }

  /**
   * Waits for a condition, re-checked whenever a node records an event and at least every 100 ms
   * (for conditions on metrics), and fails after {@code timeout}.
   */
  static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (EVENTS) {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        }
        try {
          EVENTS.wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted waiting for " + what, e);
        }
      }
    }
  }
}
