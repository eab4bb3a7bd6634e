package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One process per node through every process and network fault, with the history checked: a steady
 * phase, a partition in halves with broadcasts on both sides, then heal; one node frozen (SIGSTOP),
 * then thawed; nodes killed (SIGKILL); a last steady phase. Stable nodes broadcast throughout. The
 * build runs the small plan (5 nodes, a few seconds a phase); {@code -Dgossip.scenario=full} runs
 * 10 nodes with a 20 ms round trip and 1 % frame loss on every link, one node on a 150 ms / 10 %
 * loss uplink, a 25 s partition, a 15 s freeze and two kills.
 */
class ProcessScenarioTest {

  private record Plan(
      int nodes,
      int killed,
      Duration steady,
      Duration partition,
      Duration freeze,
      Duration period,
      boolean network) {}

  private static final Plan CI =
      new Plan(
          5,
          1,
          Duration.ofSeconds(3),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofMillis(100),
          false);
  private static final Plan FULL =
      new Plan(
          10,
          2,
          Duration.ofSeconds(10),
          Duration.ofSeconds(25),
          Duration.ofSeconds(15),
          Duration.ofMillis(50),
          true);

  @Test
  void theGuaranteeHoldsThroughEveryFault() {
    Plan plan = "full".equals(System.getProperty("gossip.scenario")) ? FULL : CI;
    try (ProcessCluster cluster =
        ProcessCluster.builder()
            .nodes(plan.nodes())
            .config("pekko.loglevel = WARNING")
            .jvmOptions(jvmOptions())
            .start()) {
      cluster.awaitConnected(Duration.ofSeconds(60));
      List<ProcessNode> n = cluster.nodes();
      ProcessNode frozen = n.get(n.size() - 1);
      List<ProcessNode> killed = n.subList(n.size() - 1 - plan.killed(), n.size() - 1);
      List<ProcessNode> senders = n.subList(0, n.size() - 1 - plan.killed());
      if (plan.network()) {
        // A 20 ms round trip and 1 % loss everywhere, one node on a slow, lossy uplink.
        cluster.delayFrames(Duration.ofMillis(8), Duration.ofMillis(4));
        cluster.dropFrames(0.01);
        cluster.delayFrames(n.get(1), Duration.ofMillis(150), Duration.ZERO);
        cluster.dropFrames(n.get(1), 0.10);
      }

      cluster.phase("steady");
      broadcast(senders, plan.period(), plan.steady());

      cluster.phase("partition");
      cluster.partition(n.subList(0, n.size() / 2), n.subList(n.size() / 2, n.size()));
      broadcast(senders, plan.period(), plan.partition());
      cluster.heal();

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
      System.out.println("[scenario] " + plan + "\n" + report);
      for (ProcessNode node : cluster.running()) {
        var m = node.metrics();
        System.out.printf(
            Locale.ROOT,
            "[scenario] %s: active %d, eager %d, lazy %d, inbound queue peak %d, links closed %s,"
                + " WARN lines %d%n",
            node.name(),
            m.activeViewSize(),
            m.eagerPeers(),
            m.lazyPeers(),
            m.inboundQueuedPeak(),
            m.framesDropped(),
            node.logLines("WARN").size());
      }
      assertTrue(report.ok(), report::toString);
      assertTrue(
          report.phases().stream().skip(1).allMatch(p -> p.expected() > 0),
          "every phase owes deliveries: " + report);
    }
  }

  /** The default options, with the nodes' warnings written to their logs. */
  private static String[] jvmOptions() {
    List<String> options = new ArrayList<>(ProcessCluster.DEFAULT_JVM_OPTIONS);
    options.add("-Dgossip.log-level=WARN");
    return options.toArray(String[]::new);
  }

  /** Broadcasts from the senders in turn, one every {@code period}, for {@code duration}. */
  private static void broadcast(List<ProcessNode> senders, Duration period, Duration duration) {
    AtomicInteger count = new AtomicInteger();
    Load.lasting(duration)
        .every(
            period,
            () -> {
              int i = count.getAndIncrement();
              senders.get(i % senders.size()).broadcast("#" + i);
            })
        .awaitEnd();
  }
}
