package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.MessageId;
import dev.gossip.pekko.GossipEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Faults in the kernel: each node process in a network namespace of its own, packets dropped by
 * nftables. Runs as root on Linux with iproute2 and nftables, and is skipped with the reason
 * elsewhere.
 */
class KernelNetworkTest {

  @Test
  void silentPartitionsHealAndTheHistoryHolds() {
    ProcessCluster.kernelNetworkUnavailable()
        .ifPresent(reason -> Assumptions.abort("skipped: " + reason));
    try (ProcessCluster cluster = ProcessCluster.builder().nodes(4).kernelNetwork().start()) {
      cluster.awaitConnected(Duration.ofSeconds(60));
      List<ProcessNode> n = cluster.nodes();
      assertTrue(n.get(0).address().startsWith("10.213."), "n0 is on the bridge: " + n.get(0));

      cluster.phase("partition");
      cluster.kernel().partition(n.subList(0, 2), n.subList(2, 4));
      awaitHalves(cluster, n);
      MessageId left = n.get(0).broadcast("left");
      MessageId right = n.get(3).broadcast("right");
      cluster.awaitDelivered(List.of(left), n.subList(0, 2), Duration.ofSeconds(30));
      assertTrue(!n.get(3).hasDelivered(left), "a silent partition lets nothing through");
      cluster.kernel().heal();
      cluster.awaitDelivered(List.of(left, right), Duration.ofSeconds(60));

      cluster.phase("one-way cut and loss");
      cluster.kernel().partitionOneWay(List.of(n.get(1)), List.of(n.get(2)));
      cluster.kernel().loss(n.get(3), 0.05);
      for (ProcessNode sender : n) {
        sender.broadcast("from " + sender.name());
      }
      cluster.kernel().heal();
      cluster.kernel().loss(n.get(3), 0);

      cluster.awaitAllDelivered(Duration.ofSeconds(60));
      History.Report report = cluster.check();
      System.out.println("[kernel] " + report);
      assertTrue(report.ok(), report::toString);
    }
  }

  /** Waits for the partition to split the active views; on a timeout says who still links whom. */
  private static void awaitHalves(ProcessCluster cluster, List<ProcessNode> n) {
    try {
      cluster.await(
          "the halves to drop each other",
          Duration.ofSeconds(60),
          () -> cluster.components(n).size() == 2);
    } catch (AssertionError e) {
      StringBuilder views = new StringBuilder();
      for (ProcessNode node : n) {
        views.append(' ').append(node.name()).append(' ').append(node.activeView());
      }
      throw new AssertionError(e.getMessage() + "; active views:" + views, e);
    }
  }

  /**
   * Delay with netem where the kernel has it, else as frame delay in the link layer (this test
   * cannot tell them apart by their effect, which is the point), and loss as an nftables rule; each
   * removed when set to zero, and the namespaces when the cluster closes.
   */
  @Test
  void delayAndLossAreMadeAndRemoved() {
    ProcessCluster.kernelNetworkUnavailable()
        .ifPresent(reason -> Assumptions.abort("skipped: " + reason));
    KernelNetwork.Host slow;
    try (ProcessCluster cluster = ProcessCluster.builder().nodes(3).kernelNetwork().start()) {
      cluster.awaitConnected(Duration.ofSeconds(60));
      List<ProcessNode> n = cluster.nodes();
      slow = cluster.kernelHost(n.get(0));

      cluster.kernel().delay(n.get(0), Duration.ofMillis(300), Duration.ZERO);
      MessageId late = n.get(0).broadcast("late");
      cluster.awaitDelivered(List.of(late), Duration.ofSeconds(30));
      long sent = deliveredAt(n.get(0), late);
      for (ProcessNode other : n.subList(1, 3)) {
        long after = deliveredAt(other, late) - sent;
        assertTrue(after >= 300_000, other + " delivered it " + after + " us after the broadcast");
      }
      cluster.kernel().delay(n.get(0), Duration.ZERO, Duration.ZERO);
      assertFalse(in(slow, "tc", "qdisc", "show", "dev", "eth0").contains("netem"));

      cluster.kernel().loss(n.get(0), 0.05);
      String rules = in(slow, "nft", "list", "chain", "inet", "gossip", "loss");
      assertTrue(rules.contains("numgen random mod 1000000 < 50000 drop"), rules);
      cluster.kernel().loss(n.get(0), 0);
      rules = in(slow, "nft", "list", "chain", "inet", "gossip", "loss");
      assertFalse(rules.contains("drop"), rules);

      MessageId after = n.get(0).broadcast("after");
      cluster.awaitDelivered(List.of(after), Duration.ofSeconds(30));
    }
    assertFalse(
        run(List.of("ip", "netns", "list")).contains(slow.namespace()),
        "close() deletes the namespaces");
  }

  private static long deliveredAt(ProcessNode node, MessageId id) {
    return node.events().stream()
        .filter(e -> e.event() instanceof GossipEvent.Delivery d && d.id().equals(id))
        .findFirst()
        .orElseThrow()
        .micros();
  }

  private static String in(KernelNetwork.Host host, String... command) {
    List<String> full = new ArrayList<>(KernelNetwork.exec(host));
    full.addAll(List.of(command));
    return run(full);
  }

  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), command + " ended");
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
