package dev.gossip.testkit;

import dev.gossip.pekko.DropReason;
import dev.gossip.pekko.MetricsSnapshot;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The fault scenario of the process mode, on a {@link ProcessCluster} whose nodes run on this host
 * or under agents on others: a steady phase; a partition in halves with broadcasts on both sides,
 * then heal; a phase to settle; one node frozen (SIGSTOP), then thawed; nodes killed (SIGKILL); a
 * last steady phase. The stable nodes broadcast in turn at a steady rate throughout. Returns the
 * history's check, having printed it with each survivor's view sizes, peak inbound queue and
 * warnings.
 */
public final class Scenario {

  /** Where the network's impairments are made, beyond what the network itself does. */
  public enum Network {
    /** None: the network as it is (loopback, or the hosts' real network). */
    NONE,
    /**
     * Frames delayed 8-12 ms each way (a 20 ms round trip) and 1 % lost on every link, one node on
     * a 150 ms / 10 % loss uplink; the partition in the link layer.
     */
    LINK_LAYER,
    /**
     * As {@link #LINK_LAYER}, with the partition and the loss as packets in the kernel (a cluster
     * built with {@link ProcessCluster.Builder#kernelNetwork}) and the delay there too where the
     * kernel has netem.
     */
    KERNEL
  }

  /** How many nodes, how many of them killed, how long each phase, how often a broadcast. */
  public record Plan(
      int nodes,
      int killed,
      Duration steady,
      Duration partition,
      Duration freeze,
      Duration period,
      Network network) {

    public Plan {
      if (nodes < killed + 3) {
        throw new IllegalArgumentException(
            "the plan needs a frozen node, the killed ones and two senders: " + nodes + " nodes");
      }
    }

    /** A few seconds a phase, for the build: 5 nodes, one killed. */
    public static Plan small(Network network) {
      return new Plan(
          5,
          1,
          Duration.ofSeconds(3),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofMillis(100),
          network);
    }

    /** 10 nodes, a 25 s partition, a 15 s freeze, two killed, 20 broadcasts a second. */
    public static Plan full(Network network) {
      return new Plan(
          10,
          2,
          Duration.ofSeconds(10),
          Duration.ofSeconds(25),
          Duration.ofSeconds(15),
          Duration.ofMillis(50),
          network);
    }

    /** The same plan on {@code count} nodes. */
    public Plan withNodes(int count) {
      return new Plan(count, killed, steady, partition, freeze, period, network);
    }
  }

  private Scenario() {}

  /** Runs the plan on the cluster's nodes (joined, at least {@code plan.nodes()}). */
  public static History.Report run(ProcessCluster cluster, Plan plan, PrintStream out) {
    cluster.awaitConnected(Duration.ofSeconds(60));
    List<ProcessNode> n = cluster.nodes().subList(0, plan.nodes());
    ProcessNode frozen = n.get(n.size() - 1);
    List<ProcessNode> killed = n.subList(n.size() - 1 - plan.killed(), n.size() - 1);
    List<ProcessNode> senders = n.subList(0, n.size() - 1 - plan.killed());
    impair(cluster, plan.network());

    cluster.phase("steady");
    broadcast(senders, plan.period(), plan.steady());

    cluster.phase("partition");
    List<ProcessNode> left = n.subList(0, n.size() / 2);
    List<ProcessNode> right = n.subList(n.size() / 2, n.size());
    if (plan.network() == Network.KERNEL) {
      cluster.kernel().partition(left, right);
    } else {
      cluster.partition(left, right);
    }
    broadcast(senders, plan.period(), plan.partition());
    if (plan.network() == Network.KERNEL) {
      cluster.kernel().heal();
    } else {
      cluster.heal();
    }

    cluster.phase("healed");
    broadcast(senders, plan.period(), plan.steady());

    cluster.phase("freeze");
    cluster.freeze(frozen);
    broadcast(senders, plan.period(), plan.freeze());
    cluster.thaw(frozen);

    cluster.phase("crash");
    cluster.kill(killed);
    broadcast(senders, plan.period(), plan.steady());

    cluster.phase("after");
    broadcast(senders, plan.period(), plan.steady());
    cluster.awaitAllDelivered(Duration.ofSeconds(120));
    cluster.awaitConnected(Duration.ofSeconds(60));

    History.Report report = cluster.check();
    out.println(report);
    for (ProcessNode node : cluster.running()) {
      MetricsSnapshot m = node.metrics();
      out.printf(
          Locale.ROOT,
          "%s: active %d, eager %d, lazy %d, inbound queue peak %d,"
              + " links closed as lifetime exceeded %d, WARN lines %d%n",
          node.name(),
          m.activeViewSize(),
          m.eagerPeers(),
          m.lazyPeers(),
          m.inboundQueuedPeak(),
          m.framesDropped(DropReason.LIFETIME_EXCEEDED),
          node.logLines("WARN").size());
    }
    return report;
  }

  /**
   * A 20 ms round trip (8-12 ms each way) and 1 % loss everywhere, and n1 on a 150 ms / 10 % loss
   * uplink: frames in the link layer, packets in the kernel (delay as frames where it has no
   * netem).
   */
  private static void impair(ProcessCluster cluster, Network network) {
    ProcessNode uplink = cluster.node(1);
    if (network == Network.LINK_LAYER) {
      cluster.delayFrames(Duration.ofMillis(8), Duration.ofMillis(4));
      cluster.dropFrames(0.01);
      cluster.delayFrames(uplink, Duration.ofMillis(150), Duration.ZERO);
      cluster.dropFrames(uplink, 0.10);
    } else if (network == Network.KERNEL) {
      for (ProcessNode node : cluster.nodes()) {
        boolean slow = node == uplink;
        cluster.kernel().loss(node, slow ? 0.10 : 0.01);
        cluster
            .kernel()
            .delay(
                node,
                Duration.ofMillis(slow ? 150 : 8),
                slow ? Duration.ZERO : Duration.ofMillis(4));
      }
    }
  }

  /**
   * Broadcasts from the senders in turn, one every {@code period} (a broadcast that takes longer
   * delays the next), for {@code duration}.
   */
  private static void broadcast(List<ProcessNode> senders, Duration period, Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    long next = System.nanoTime();
    for (int i = 0; next < end; i++) {
      LockSupport.parkNanos(next - System.nanoTime());
      senders.get(i % senders.size()).broadcast("#" + i);
      next = Math.max(next + period.toNanos(), System.nanoTime());
    }
  }
}
