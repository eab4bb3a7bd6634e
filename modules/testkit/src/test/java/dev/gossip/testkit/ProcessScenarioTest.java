package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.testkit.Scenario.Network;
import dev.gossip.testkit.Scenario.Plan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link Scenario} with one process per node on this host. The build runs the small plan (5 nodes,
 * a few seconds a phase). {@code -Dgossip.scenario=full} runs the full plan with its delay and loss
 * in the link layer; {@code -Dgossip.scenario=kernel} with the partition and the loss in the kernel
 * (each node in a network namespace; root only) and the delay there where the kernel has netem.
 */
class ProcessScenarioTest {

  @Test
  void theGuaranteeHoldsThroughEveryFault() {
    String scenario = System.getProperty("gossip.scenario", "ci");
    Plan plan =
        switch (scenario) {
          case "full" -> Plan.full(Network.LINK_LAYER);
          case "kernel" -> Plan.full(Network.KERNEL);
          default -> Plan.small(Network.NONE);
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
      System.out.println("[scenario] " + scenario + " " + plan);
      History.Report report = Scenario.run(cluster, plan, System.out);
      assertTrue(report.ok(), report::toString);
      assertTrue(
          report.phases().stream().skip(1).allMatch(p -> p.expected() > 0),
          "every phase owes deliveries: " + report);
    }
  }

  /** The default options, with the nodes' warnings written to their logs. */
  static String[] jvmOptions() {
    List<String> options = new ArrayList<>(ProcessCluster.DEFAULT_JVM_OPTIONS);
    options.add("-Dgossip.log-level=WARN");
    return options.toArray(String[]::new);
  }
}
