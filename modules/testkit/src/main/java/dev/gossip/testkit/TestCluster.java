package dev.gossip.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.pekko.Gossip;
import dev.gossip.pekko.LinkFaultsExtension;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * N real gossip nodes in one JVM, each in an ActorSystem of its own, listening on loopback with a
 * port picked by the system, with faults injected between them and awaits over what they report.
 *
 * <p>Faults: {@link #kill} (abrupt, no Leave), {@link #freeze} and {@link #thaw} (a hung process:
 * actors stop, sockets stay open), {@link #partition} and {@link #heal}, {@link #blackhole} (one
 * direction or both), {@link #dropFrames} and {@link #delayFrames} (per link or on every link).
 * Link faults act in each node's link layer through {@link dev.gossip.pekko.LinkFaults}; a frozen
 * node's dispatchers hold every task until the thaw.
 *
 * <p>Awaits are bounded and fail with what is still missing: {@link #awaitDelivered}, {@link
 * #awaitViewsConverged}, {@link #awaitConnected}.
 *
 * <p>Nodes run the {@code local} preset with test-friendly deadlines (see {@link #BASE_CONFIG});
 * {@link Builder#config} overrides any key. Not thread-safe for concurrent fault calls; the handles
 * and awaits are.
 */
public final class TestCluster implements AutoCloseable {

  /**
   * What every node runs with, under the builder's configuration: the local preset's fast timers,
   * with deadlines a busy machine can meet (a test is never about a handshake deadline), and quiet
   * logs.
   */
  public static final String BASE_CONFIG =
      String.join(
          "\n",
          "gossip.preset = local",
          "gossip.host = \"127.0.0.1\"",
          "gossip.port = 0",
          "gossip.transport.handshake-timeout = 30 s",
          "gossip.heartbeat.ping-interval = 500 ms",
          "gossip.heartbeat.failure-timeout = 4 s",
          "pekko.loglevel = ERROR",
          "pekko.stdout-loglevel = ERROR",
          "pekko.log-dead-letters = off",
          "pekko.log-dead-letters-during-shutdown = off",
          "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off");

  private static final String FREEZABLE =
      "dev.gossip.testkit.internal.FreezableExecutorConfigurator";
  private static final AtomicInteger CLUSTERS = new AtomicInteger();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration LEAVE_GRACE = Duration.ofSeconds(10);

  /** Builds a cluster: how many nodes, extra configuration, whether they join at start. */
  public static final class Builder {
    private int nodes = 3;
    private String config = "";
    private boolean joined = true;

    private Builder() {}

    public Builder nodes(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("nodes must be >= 0, was " + count);
      }
      this.nodes = count;
      return this;
    }

    /** HOCON applied to every node over {@link #BASE_CONFIG}. */
    public Builder config(String hocon) {
      this.config = hocon;
      return this;
    }

    /** Whether the nodes join one overlay at start (default true); else call {@link #join}. */
    public Builder joined(boolean join) {
      this.joined = join;
      return this;
    }

    /** Starts the nodes, and joins them unless told not to; stops them all if any fails. */
    public TestCluster start() {
      TestCluster cluster = new TestCluster(config);
      try {
        for (int i = 0; i < nodes; i++) {
          cluster.startNode();
        }
        if (joined) {
          for (TestNode node : cluster.nodes()) {
            cluster.join(node);
          }
        }
        return cluster;
      } catch (RuntimeException | Error e) {
        cluster.close();
        throw e;
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private final String prefix = "c" + CLUSTERS.incrementAndGet();
  private final Config userConfig;
  private final FaultNetwork network = new FaultNetwork();
  private final Signal signal = new Signal();
  private final List<TestNode> nodes = new CopyOnWriteArrayList<>();
  private final Map<NodeId, TestNode> byId = new ConcurrentHashMap<>();
  private final Awaits<TestNode> awaits = new Awaits<>(signal, byId::get);

  private TestCluster(String config) {
    this.userConfig = ConfigFactory.parseString(config);
  }

  /** Every node started, in start order, stopped ones included. */
  public List<TestNode> nodes() {
    return List.copyOf(nodes);
  }

  public TestNode node(int index) {
    return nodes.get(index);
  }

  /** Nodes running now (not frozen, killed or left). */
  public List<TestNode> running() {
    return nodes.stream().filter(TestNode::isRunning).toList();
  }

  /** Nodes not stopped: running or frozen. */
  public List<TestNode> live() {
    return nodes.stream()
        .filter(n -> n.state() == TestNode.State.RUNNING || n.state() == TestNode.State.FROZEN)
        .toList();
  }

  /** The node with this id, or null. */
  public TestNode byId(NodeId id) {
    return byId.get(id);
  }

  /** Starts one more node, not joined. */
  public TestNode startNode() {
    String name = "n" + nodes.size();
    String freezeGroup = prefix + "-" + name;
    String dispatcher =
        "{ executor = \""
            + FREEZABLE
            + "\", freeze-group = \""
            + freezeGroup
            + "\", thread-pool-executor.fixed-pool-size = 2 }";
    Config config =
        ConfigFactory.parseString(
                "pekko.actor.default-dispatcher = "
                    + dispatcher
                    + "\npekko.actor.internal-dispatcher = "
                    + dispatcher)
            .withFallback(userConfig)
            .withFallback(ConfigFactory.parseString(BASE_CONFIG))
            .withFallback(ConfigFactory.load())
            .resolve();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), prefix + name, config);
    LinkFaultsExtension.get(system).install(network);
    try {
      Gossip gossip =
          Gossip.start(system)
              .toCompletableFuture()
              .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      TestNode node = new TestNode(name, system, gossip, freezeGroup, signal);
      nodes.add(node);
      byId.put(node.id(), node);
      return node;
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException(name + " did not start within " + START_TIMEOUT, e);
    }
  }

  /** Starts one more node and joins it to the overlay. */
  public TestNode addNode() {
    TestNode node = startNode();
    join(node);
    return node;
  }

  /**
   * Joins the node through a random other running node that has joined (the first node to join
   * starts the overlay), waiting (bounded) for its first neighbour.
   */
  public void join(TestNode node) {
    List<TestNode> contacts =
        running().stream().filter(n -> n != node && !n.activeView().isEmpty()).toList();
    if (contacts.isEmpty()) {
      contacts = running().stream().filter(n -> n != node && n.joined).toList();
    }
    List<String> through =
        contacts.isEmpty()
            ? List.of()
            : List.of(contacts.get(ThreadLocalRandom.current().nextInt(contacts.size())).address());
    try {
      node.gossip()
          .join(through)
          .toCompletableFuture()
          .get(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      node.joined = true;
    } catch (Exception e) {
      throw new IllegalStateException(node + " did not join through " + through, e);
    }
  }

  // ---- faults ----

  /** Stops the nodes abruptly, without Leave: their sockets close as a crashed process's do. */
  public void kill(TestNode... victims) {
    kill(Arrays.asList(victims));
  }

  public void kill(Collection<TestNode> victims) {
    victims.forEach(TestNode::kill);
    victims.forEach(TestNode::awaitStopped);
  }

  /**
   * The node leaves the overlay (its neighbours are told), then stops once no running node has it
   * as a neighbour (or after 10 s).
   */
  public void leave(TestNode node) {
    NodeId id = node.id();
    node.gossip().leave();
    signal.awaitOrProblem(
        "neighbours to drop " + node,
        LEAVE_GRACE,
        () ->
            running().stream().anyMatch(n -> n != node && n.activeView().contains(id))
                ? "still a neighbour"
                : null);
    node.leave();
    node.awaitStopped();
  }

  /**
   * The node hangs: its actors, stream stages and timers stop while its sockets stay open, so peers
   * notice by heartbeat timeout, not by a closed connection. Its handle keeps answering (its
   * recorded events stop).
   */
  public void freeze(TestNode node) {
    node.freeze();
  }

  /** The frozen node goes on where it stopped, working off what piled up. */
  public void thaw(TestNode node) {
    node.thaw();
  }

  /**
   * Cuts every link between nodes of different groups, both ways: open links go silent, new
   * connections fail. Nodes in no group keep their links.
   */
  @SafeVarargs
  public final void partition(Collection<TestNode>... groups) {
    for (int i = 0; i < groups.length; i++) {
      for (int j = 0; j < groups.length; j++) {
        if (i != j) {
          for (TestNode a : groups[i]) {
            for (TestNode b : groups[j]) {
              network.block(a.id(), b.id());
            }
          }
        }
      }
    }
  }

  /** Cuts the links from every node of {@code from} to every node of {@code to}, one way only. */
  public void partitionOneWay(Collection<TestNode> from, Collection<TestNode> to) {
    for (TestNode a : from) {
      for (TestNode b : to) {
        network.block(a.id(), b.id());
      }
    }
  }

  /** Cuts the link between two nodes in one direction or both (Pekko's {@code blackhole}). */
  public void blackhole(TestNode a, TestNode b, Direction direction) {
    if (direction != Direction.RECEIVE) {
      network.block(a.id(), b.id());
    }
    if (direction != Direction.SEND) {
      network.block(b.id(), a.id());
    }
  }

  /** Restores every cut link; frame loss and delay stay. */
  public void heal() {
    network.heal();
  }

  /** Drops this fraction of the frames on every link (0 stops dropping). */
  public void dropFrames(double fraction) {
    network.dropAll(checkFraction(fraction));
  }

  /** Drops this fraction of the frames from {@code from} to {@code to}. */
  public void dropFrames(TestNode from, TestNode to, double fraction) {
    network.drop(from.id(), to.id(), checkFraction(fraction));
  }

  /** Delays every frame on every link by {@code delay} plus a uniform {@code 0..jitter}. */
  public void delayFrames(Duration delay, Duration jitter) {
    network.delayAll(delay.toNanos(), jitter.toNanos());
  }

  /** Delays the frames from {@code from} to {@code to}; their order is kept. */
  public void delayFrames(TestNode from, TestNode to, Duration delay, Duration jitter) {
    network.delay(from.id(), to.id(), delay.toNanos(), jitter.toNanos());
  }

  /** Frames the link faults have dropped so far (loss and cut links), over all nodes. */
  public long framesDropped() {
    return network.dropped();
  }

  /** Removes every link fault: cuts, loss and delay. */
  public void clearFaults() {
    network.clear();
  }

  private static double checkFraction(double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in 0..1, was " + fraction);
    }
    return fraction;
  }

  // ---- awaits ----

  /** Waits until every running node delivered every one of {@code ids}. */
  public void awaitDelivered(Collection<MessageId> ids, Duration timeout) {
    awaitDelivered(ids, running(), timeout);
  }

  /**
   * Waits until each of {@code receivers} delivered every one of {@code ids}; on timeout the error
   * names each node that misses messages and which.
   */
  public void awaitDelivered(
      Collection<MessageId> ids, Collection<TestNode> receivers, Duration timeout) {
    awaits.delivered(ids, receivers, timeout);
  }

  /** {@link #awaitViewsConverged(Collection, Duration)} over the running nodes. */
  public void awaitViewsConverged(Duration timeout) {
    awaitViewsConverged(running(), timeout);
  }

  /**
   * Waits until the active views of {@code members} are settled: none empty, none holding a node
   * outside {@code members}, and every link known to both ends. On timeout the error lists each
   * offending link.
   */
  public void awaitViewsConverged(Collection<TestNode> members, Duration timeout) {
    awaits.viewsConverged(members, timeout);
  }

  /** {@link #awaitConnected(Collection, Duration)} over the running nodes. */
  public void awaitConnected(Duration timeout) {
    awaitConnected(running(), timeout);
  }

  /**
   * Waits until the active views of {@code members} (links between members only) form one connected
   * overlay. On timeout the error lists the components.
   */
  public void awaitConnected(Collection<TestNode> members, Duration timeout) {
    awaits.connected(members, timeout);
  }

  /** The connected components of the members' active views, links between members only. */
  public List<List<TestNode>> components(Collection<TestNode> members) {
    return awaits.components(members);
  }

  /** Waits until {@code condition} holds; on timeout fails naming {@code what}. */
  public void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
    awaits.condition(what, timeout, condition);
  }

  /** Stops every node still up (frozen ones are thawed to die). */
  @Override
  public void close() {
    List<TestNode> up = live();
    network.clear();
    up.forEach(TestNode::kill);
    RuntimeException failure = null;
    for (TestNode node : up) {
      try {
        node.awaitStopped();
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
