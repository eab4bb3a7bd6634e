package dev.gossip.examples.localcluster;

import dev.gossip.examples.Nodes;
import dev.gossip.pekko.GossipEvent;
import dev.gossip.pekko.MetricsSnapshot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N nodes in this JVM, one ActorSystem each, all joined through the first. With {@code splittable}
 * every node sits behind a {@link PartitionProxy} so the cluster can be cut in two halves and
 * healed.
 */
final class Cluster implements AutoCloseable {

  /** Where nodes listen when they sit behind a proxy; Linux routes all of 127.0.0.0/8 to lo. */
  static final String INNER_HOST = "127.0.0.2";

  private static final String HOST = "127.0.0.1";

  private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

  private final List<Nodes.Node> nodes = new ArrayList<>();
  private final List<PartitionProxy> proxies = new ArrayList<>();
  private final boolean[] alive;
  private final Map<Integer, Integer> sideOfPort = new ConcurrentHashMap<>();
  private final int[] side;
  private volatile boolean split;
  private MetricsSnapshot[] lastMetrics;

  Cluster(int n, String preset, boolean splittable, boolean verbose, Tally tally) throws Exception {
    this.alive = new boolean[n];
    this.side = new int[n];
    this.lastMetrics = new MetricsSnapshot[n];
    try {
      for (int i = 0; i < n; i++) {
        side[i] = i < (n + 1) / 2 ? 0 : 1;
        Nodes.Node node;
        if (splittable) {
          node = Nodes.start("node" + i, Nodes.config(preset, INNER_HOST, 0, HOST, verbose));
          int port = node.gossip().self().port();
          int mySide = side[i];
          sideOfPort.put(port, mySide);
          proxies.add(
              new PartitionProxy(
                  new InetSocketAddress(HOST, port),
                  new InetSocketAddress(INNER_HOST, port),
                  dialer -> split && sideOfPort.getOrDefault(dialer, mySide) != mySide));
        } else {
          node = Nodes.start("node" + i, Nodes.config(preset, HOST, 0, "", verbose));
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
                      } else if (e instanceof GossipEvent.NeighborUp up) {
                        LOG.debug("node {}: {} up", index, up.peer());
                      } else if (e instanceof GossipEvent.NeighborDown down) {
                        LOG.debug("node {}: {} down ({})", index, down.peer(), down.reason());
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
    if (!proxies.isEmpty()) {
      proxies.get(i).close();
    }
    nodes.get(i).close();
  }

  /** Cuts every link between the two halves and refuses new ones until {@link #heal()}. */
  void split() {
    split = true;
    proxies.forEach(PartitionProxy::enforce);
  }

  void heal() {
    split = false;
  }

  boolean isSplit() {
    return split;
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
    proxies.forEach(PartitionProxy::close);
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

  static void checkInnerHost() throws IOException {
    try (var probe = new java.net.ServerSocket()) {
      probe.bind(new InetSocketAddress(INNER_HOST, 0));
    } catch (IOException e) {
      throw new IOException(
          "--split needs a second loopback address, "
              + INNER_HOST
              + " (Linux has all of 127.0.0.0/8; on macOS: sudo ifconfig lo0 alias "
              + INNER_HOST
              + ")",
          e);
    }
  }
}
