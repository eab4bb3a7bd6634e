package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.MessageId;
import java.time.Duration;
import java.util.List;
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
      cluster.await(
          "the halves to drop each other",
          Duration.ofSeconds(60),
          () -> cluster.components(n).size() == 2);
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
}
