package dev.gossip.bench.cluster;

import java.util.function.IntUnaryOperator;

/**
 * N nodes of one system under test in this JVM, each its own ActorSystem or JGroups channel on
 * loopback TCP. Every node hands the payloads it delivers to the current {@link Tracker}.
 */
public interface BenchCluster extends AutoCloseable {

  /** The name printed in the results. */
  String name();

  /** Starts {@code n} nodes, listening and subscribed but not yet joined. */
  void start(int n) throws Exception;

  /** Starts joining every node to node 0 and returns once node 0 can broadcast. */
  void join() throws Exception;

  /**
   * Whether every node has a full view as this system defines it: HyParView, a full active view (or
   * all other nodes when there are fewer); Pekko Cluster, every member Up; JGroups, n members in
   * the view.
   */
  boolean viewsFull();

  /** A line about the views now, printed when they did not become full. */
  String viewSummary();

  /** {@code label: size size ...}, the view size of each live node, for {@link #viewSummary}. */
  static String viewSizes(String label, boolean[] alive, IntUnaryOperator viewSize) {
    StringBuilder b = new StringBuilder(label).append(':');
    for (int i = 0; i < alive.length; i++) {
      if (alive[i]) {
        b.append(' ').append(viewSize.applyAsInt(i));
      }
    }
    return b.toString();
  }

  /** Sets where deliveries are counted from now on. */
  void track(Tracker tracker);

  /** Broadcasts (publishes) a payload from node {@code node}; does not wait. */
  void broadcast(int node, byte[] payload);

  /** Crashes node {@code node}: it stops without leaving, its sockets close; does not wait. */
  void kill(int node);

  /**
   * Frame bytes the live nodes' links have written since start, from the system's own counters; -1
   * if it has none.
   */
  default long wireBytesSent() {
    return -1;
  }

  /** Grafts the live nodes have sent since start, from the system's own counters; -1 if none. */
  default long graftsSent() {
    return -1;
  }

  /** Events a subscriber missed because it fell behind (counted as losses by the caller). */
  default long subscriberMissed() {
    return 0;
  }

  @Override
  void close();
}
