package dev.gossip.testkit;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.pekko.Gossip;
import dev.gossip.pekko.GossipEvent;
import dev.gossip.pekko.MetricsSnapshot;
import dev.gossip.testkit.internal.FreezeSwitch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * A handle on one node of a {@link TestCluster}: a real gossip node in an ActorSystem of its own on
 * loopback. It records every event the node publishes (deliveries, neighbours up and down), so a
 * test reads what the node delivered and its active view as the node reported them. Thread-safe.
 */
public final class TestNode implements Member {

  /** Where a node is in its life. */
  public enum State {
    RUNNING,
    /** Hung: its actors stop while its sockets stay open ({@link TestCluster#freeze}). */
    FROZEN,
    /** Stopped abruptly, without Leave ({@link TestCluster#kill}). */
    KILLED,
    /** Left the overlay and stopped ({@link TestCluster#leave}). */
    LEFT
  }

  /** Events buffered for the recorder; far more than a test produces. */
  private static final int EVENT_BUFFER = 1 << 20;

  private static final Duration BROADCAST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final ActorSystem<Void> system;
  private final Gossip gossip;
  private final String freezeGroup;
  private final FreezeSwitch freezeSwitch;
  private final Signal signal;
  private final Map<MessageId, AtomicInteger> deliveries = new ConcurrentHashMap<>();
  private final List<GossipEvent> events = new CopyOnWriteArrayList<>();
  private final Map<NodeId, Boolean> view = new LinkedHashMap<>();
  private final AtomicLong missedEvents = new AtomicLong();
  private final long startedAt = System.nanoTime();
  private volatile long stoppedAt;
  private volatile State state = State.RUNNING;

  /** Joined an overlay (set by the cluster). */
  volatile boolean joined;

  TestNode(
      String name, ActorSystem<Void> system, Gossip gossip, String freezeGroup, Signal signal) {
    this.name = name;
    this.system = system;
    this.gossip = gossip;
    this.freezeGroup = freezeGroup;
    this.freezeSwitch = FreezeSwitch.named(freezeGroup);
    this.signal = signal;
    gossip.events(EVENT_BUFFER).runWith(Sink.foreach(this::record), system);
  }

  private void record(GossipEvent e) {
    if (e instanceof GossipEvent.Delivery d) {
      deliveries.computeIfAbsent(d.id(), id -> new AtomicInteger()).incrementAndGet();
    } else if (e instanceof GossipEvent.NeighborUp up) {
      synchronized (view) {
        view.put(up.peer(), Boolean.TRUE);
      }
    } else if (e instanceof GossipEvent.NeighborDown down) {
      synchronized (view) {
        view.remove(down.peer());
      }
    } else if (e instanceof GossipEvent.Missed m) {
      missedEvents.addAndGet(m.count());
    }
    events.add(e);
    signal.changed();
  }

  /** The node's name in the cluster, "n0", "n1", ... in start order. */
  @Override
  public String name() {
    return name;
  }

  /** The node's identity: host, bound port, incarnation. */
  @Override
  public NodeId id() {
    return gossip.self();
  }

  /** "host:port", what other nodes use as a contact. */
  public String address() {
    return id().host() + ":" + id().port();
  }

  public Gossip gossip() {
    return gossip;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public State state() {
    return state;
  }

  /** Running, neither frozen nor stopped. */
  public boolean isRunning() {
    return state == State.RUNNING;
  }

  /** When the node was started, System.nanoTime. */
  public long startedAt() {
    return startedAt;
  }

  /** When the node was killed or left, System.nanoTime; 0 while it runs. */
  public long stoppedAt() {
    return stoppedAt;
  }

  /** Broadcasts and waits (bounded) for the message id. */
  public MessageId broadcast(byte[] payload) {
    try {
      return broadcastAsync(payload)
          .toCompletableFuture()
          .get(BROADCAST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(name + " could not broadcast", e);
    }
  }

  public MessageId broadcast(String payload) {
    return broadcast(payload.getBytes(StandardCharsets.UTF_8));
  }

  public CompletionStage<MessageId> broadcastAsync(byte[] payload) {
    return gossip.broadcast(payload);
  }

  /** Whether this node delivered the message. */
  @Override
  public boolean hasDelivered(MessageId id) {
    return deliveries.containsKey(id);
  }

  /** How often this node delivered the message (more than 1 would be a duplicate). */
  public int deliveryCount(MessageId id) {
    AtomicInteger n = deliveries.get(id);
    return n == null ? 0 : n.get();
  }

  /** Every message id this node delivered. */
  public Set<MessageId> delivered() {
    return Set.copyOf(deliveries.keySet());
  }

  /** Message ids this node delivered more than once. */
  public Set<MessageId> duplicates() {
    Set<MessageId> twice = new LinkedHashSet<>();
    deliveries.forEach(
        (id, n) -> {
          if (n.get() > 1) {
            twice.add(id);
          }
        });
    return twice;
  }

  /** Every event the node published, in order. */
  public List<GossipEvent> events() {
    return List.copyOf(events);
  }

  /** Events the recorder missed by falling behind (0 unless a test floods a node). */
  public long missedEvents() {
    return missedEvents.get();
  }

  /** The active view as the node reported it through NeighborUp and NeighborDown. */
  @Override
  public Set<NodeId> activeView() {
    synchronized (view) {
      return Set.copyOf(new ArrayList<>(view.keySet()));
    }
  }

  public MetricsSnapshot metrics() {
    return gossip.metrics();
  }

  @Override
  public String toString() {
    return name + " (" + address() + ", " + state.name().toLowerCase(java.util.Locale.ROOT) + ")";
  }

  void freeze() {
    if (state == State.RUNNING) {
      freezeSwitch.freeze();
      state = State.FROZEN;
      signal.changed();
    }
  }

  void thaw() {
    if (state == State.FROZEN) {
      state = State.RUNNING;
      freezeSwitch.thaw();
      signal.changed();
    }
  }

  void leave() {
    if (state == State.RUNNING) {
      gossip.leave();
      stop(State.LEFT);
    }
  }

  /** Starts terminating the system; {@link #awaitStopped} waits for it. */
  void kill() {
    stop(State.KILLED);
  }

  private void stop(State end) {
    if (state == State.KILLED || state == State.LEFT) {
      return;
    }
    // A frozen system cannot run its own shutdown: it wakes for the moment it takes to die.
    freezeSwitch.thaw();
    stoppedAt = System.nanoTime();
    state = end;
    system.terminate();
    signal.changed();
  }

  void awaitStopped() {
    try {
      system
          .getWhenTerminated()
          .toCompletableFuture()
          .get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(name + " did not stop within " + STOP_TIMEOUT, e);
    } finally {
      FreezeSwitch.remove(freezeGroup);
    }
  }
}
