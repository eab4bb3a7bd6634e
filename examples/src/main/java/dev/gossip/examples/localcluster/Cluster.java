package dev.gossip.examples.localcluster;

import dev.gossip.examples.Nodes;
import dev.gossip.examples.TlsOptions;
import dev.gossip.pekko.GossipEvent;
import dev.gossip.pekko.MetricsSnapshot;
import dev.gossip.pekko.NodeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * N nodes in this JVM, one ActorSystem each, all joined through the first. With {@code splittable}
 * every node gets the same {@link Split} stage (gossip-pekko's link fault injection) so the cluster
 * can be cut in two halves and healed.
 */
final class Cluster implements AutoCloseable {

  private static final String HOST = "127.0.0.1";

  private final List<Nodes.Node> nodes = new ArrayList<>();
  private final boolean[] alive;

  /** The split every node consults, or null when the cluster is not splittable. */
  private final Split split;

  private MetricsSnapshot[] lastMetrics;

  Cluster(int n, String preset, boolean splittable, boolean verbose, Tally tally) throws Exception {
    this.alive = new boolean[n];
    this.lastMetrics = new MetricsSnapshot[n];
    this.split = splittable ? new Split() : null;
    try {
      for (int i = 0; i < n; i++) {
        Nodes.Node node =
            Nodes.start(
                "node" + i, Nodes.config(preset, HOST, 0, "", new TlsOptions(), verbose), split);
        if (split != null) {
          split.place(node.gossip().self().port(), i < (n + 1) / 2 ? 0 : 1);
        }
        nodes.add(node);
        alive[i] = true;
        int index = i;
        node.gossip()
            .events(100_000)
            .runWith(
                Sink.foreach(
                    e -> {
                      if (e instanceof GossipEvent.Delivery d) {
                        tally.delivered(index, d.payload(), d.hops(), System.nanoTime());
                      }
                    }),
                node.system());
      }
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /** Joins the first node as a new overlay and every other through it; waits for each. */
  void join() throws Exception {
    nodes.get(0).gossip().join(List.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    String contact = nodes.get(0).address();
    for (Nodes.Node node : nodes.subList(1, nodes.size())) {
      node.gossip().join(List.of(contact)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Waits until the overlay is as full as it can be, polling every 20 ms for at most {@code limit};
   * returns whether it is. Full is every node linked to {@code min(active-view-size, n - 1)}
   * others, except that where that many links per node add up to an odd number one node stays one
   * short (each link counts at both ends). The join futures complete on the first link, while the
   * last joiners' walks still evict links and the views fill.
   */
  boolean awaitFullViews(Duration limit) throws InterruptedException {
    int n = nodes.size();
    int full = fullView();
    long linkEnds = (long) n * full - (everyViewCanFill() ? 0 : 1);
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      long sum = 0;
      boolean noneShort = true;
      for (int i = 0; i < n; i++) {
        int size = metrics(i).activeViewSize();
        sum += size;
        noneShort &= size >= full - 1;
      }
      if (noneShort && sum >= linkEnds) {
        return true;
      } else if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(20);
    }
  }

  /**
   * Whether every view can be full at once: each link has two ends, so with an odd number of ends
   * to fill one stays free.
   */
  boolean everyViewCanFill() {
    return (long) nodes.size() * fullView() % 2 == 0;
  }

  /** The links a node has in a full view: the active view's size, or every other node. */
  private int fullView() {
    return Math.min(
        NodeSettings.load(nodes.get(0).system().settings().config())
            .protocol()
            .membership()
            .activeViewSize(),
        nodes.size() - 1);
  }

  int size() {
    return nodes.size();
  }

  boolean alive(int i) {
    return alive[i];
  }

  int aliveCount() {
    int count = 0;
    for (boolean a : alive) {
      count += a ? 1 : 0;
    }
    return count;
  }

  Nodes.Node node(int i) {
    return nodes.get(i);
  }

  /** Crashes node {@code i}: its ActorSystem terminates, its sockets close, it never returns. */
  void kill(int i) {
    lastMetrics[i] = nodes.get(i).gossip().metrics();
    alive[i] = false;
    nodes.get(i).close();
  }

  /** Cuts every link between the two halves and refuses new ones until {@link #heal()}. */
  void split() {
    split.cut();
  }

  void heal() {
    split.heal();
  }

  boolean isSplit() {
    return split != null && split.isOn();
  }

  /** The metrics of node {@code i}: live, or the last ones before it was killed. */
  MetricsSnapshot metrics(int i) {
    return alive[i] ? nodes.get(i).gossip().metrics() : lastMetrics[i];
  }

  @Override
  public void close() {
    // Everyone leaves first, so no node spends the shutdown re-joining through dead contacts.
    for (int i = 0; i < nodes.size(); i++) {
      if (alive[i]) {
        nodes.get(i).gossip().leave();
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      if (alive[i]) {
        alive[i] = false;
        nodes.get(i).system().terminate();
      }
    }
    for (Nodes.Node node : nodes) {
      node.system().getWhenTerminated().toCompletableFuture().join();
    }
  }
}
