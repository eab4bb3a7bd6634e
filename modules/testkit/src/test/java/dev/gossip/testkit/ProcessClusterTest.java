package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's multi-JVM example: one process per node, real signals, the history checked. */
class ProcessClusterTest {

  // README example begins
  @Test
  void everyLineReachesEveryProcessThroughRealFaults() {
    try (ProcessCluster cluster = ProcessCluster.builder().nodes(5).start()) {
      cluster.awaitConnected(Duration.ofSeconds(60));
      List<ProcessNode> n = cluster.nodes();
      n.get(0).broadcast("hello");

      cluster.phase("crash");
      cluster.kill(n.get(4)); // SIGKILL
      n.get(1).broadcast("after the crash");

      cluster.phase("freeze");
      cluster.freeze(n.get(3)); // SIGSTOP: the whole JVM, its sockets open
      n.get(2).broadcast("while n3 is stopped");
      cluster.thaw(n.get(3)); // SIGCONT

      cluster.phase("partition");
      cluster.partition(n.subList(0, 2), n.subList(2, 4));
      n.get(0).broadcast("left side");
      n.get(3).broadcast("right side");
      cluster.heal();

      cluster.awaitAllDelivered(Duration.ofSeconds(60));
      History.Report report = cluster.check(); // at most once, and everything everywhere
      assertTrue(report.ok(), report::toString);
    }
  }
  // README example ends
}
