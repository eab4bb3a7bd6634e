package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * One process per node through every process and network fault, with the history checked: a steady
 * phase; a partition in halves with broadcasts on both sides, then heal; a phase to settle; one
 * node frozen (SIGSTOP), then thawed; nodes killed (SIGKILL); a last steady phase. Stable nodes
 * broadcast throughout. The build runs the small plan (5 nodes, a few seconds a phase). {@code
 * -Dgossip.scenario=full} runs 10 nodes with a 25 s partition, a 15 s freeze and two kills, frames
 * delayed for a 20 ms round trip and 1 % lost on every link, and one node on a 150 ms / 10 % loss
 * uplink, all in the link layer; {@code -Dgossip.scenario=kernel} runs the same with the partition
 * and the loss in the kernel (each node in a network namespace; root only) and the delay where the
 * kernel has netem.
 */
class ProcessScenarioTest {

  private enum Network {
    NONE,
    LINK_LAYER,
    KERNEL
  }

  private record Plan(
      int nodes,
      int killed,
      Duration steady,
      Duration partition,
      Duration freeze,
      Duration period,
      Network network) {}

  private static final Plan CI =
      new Plan(
          5,
          1,
          Duration.ofSeconds(3),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofMillis(100),
          Network.NONE);

  private static Plan full(Network network) {
    return new Plan(
        10,
        2,
        Duration.ofSeconds(10),
        Duration.ofSeconds(25),
        Duration.ofSeconds(15),
        Duration.ofMillis(50),
        network);
  }

  @Test
  void theGuaranteeHoldsThroughEveryFault() {
    String scenario = System.getProperty("gossip.scenario", "ci");
    Plan plan =
        switch (scenario) {
          case "full" -> full(Network.LINK_LAYER);
          case "kernel" -> full(Network.KERNEL);
          default -> CI;
        };
    ProcessCluster.Builder builder =
        ProcessCluster.builder()
            .nodes(plan.nodes())
            .config("pekko.loglevel = WARNING")
            .jvmOptions(jvmOptions());
    if (plan.network() == Network.KERNEL) {
      ProcessCluster.kernelNetworkUnavailable()
          .ifPresent(reason -> Assumptions.abort("skipped: " + reason));
      builder.kernelNetwork();
    }
    try (ProcessCluster cluster = builder.start()) {
      cluster.awaitConnected(Duration.ofSeconds(60));
      List<ProcessNode> n = cluster.nodes();
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
      System.out.println("[scenario] " + scenario + " " + plan + "\n" + report);
      for (ProcessNode node : cluster.running()) {
        var m = node.metrics();
        System.out.printf(
            Locale.ROOT,
            "[scenario] %s: active %d, eager %d, lazy %d, inbound queue peak %d,"
                + " links closed as lifetime exceeded %d, WARN lines %d%n",
            node.name(),
            m.activeViewSize(),
            m.eagerPeers(),
            m.lazyPeers(),
            m.inboundQueuedPeak(),
            m.framesDropped(dev.gossip.pekko.DropReason.LIFETIME_EXCEEDED),
            node.logLines("WARN").size());
      }
      assertTrue(report.ok(), report::toString);
      assertTrue(
          report.phases().stream().skip(1).allMatch(p -> p.expected() > 0),
          "every phase owes deliveries: " + report);
    }
  }

  /**
   * A 20 ms round trip (8-12 ms each way) and 1 % loss everywhere, and n1 on a 150 ms / 10 % loss
   * uplink: frames in the link layer, packets in the kernel (delay only where it has netem).
   */
  private static void impair(ProcessCluster cluster, Network network) {
    Collection<ProcessNode> all = cluster.nodes();
    ProcessNode uplink = cluster.node(1);
    if (network == Network.LINK_LAYER) {
      cluster.delayFrames(Duration.ofMillis(8), Duration.ofMillis(4));
      cluster.dropFrames(0.01);
      cluster.delayFrames(uplink, Duration.ofMillis(150), Duration.ZERO);
      cluster.dropFrames(uplink, 0.10);
    } else if (network == Network.KERNEL) {
      all.forEach(node -> cluster.kernel().loss(node, node == uplink ? 0.10 : 0.01));
      try {
        all.forEach(
            node ->
                cluster
                    .kernel()
                    .delay(
                        node,
                        node == uplink ? Duration.ofMillis(150) : Duration.ofMillis(8),
                        node == uplink ? Duration.ZERO : Duration.ofMillis(4)));
      } catch (UnsupportedOperationException e) {
        System.out.println("[scenario] no delay in the kernel: " + e.getMessage());
      }
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
