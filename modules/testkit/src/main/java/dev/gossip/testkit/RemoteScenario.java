package dev.gossip.testkit;

import dev.gossip.testkit.Scenario.Network;
import dev.gossip.testkit.Scenario.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Runs {@link Scenario} on nodes under {@link NodeAgent}s on other hosts, from this one (the
 * coordinator), and prints the history's table per phase. Exit status 0 when the guarantee held, 1
 * when it did not, 2 for a bad command line.
 */
final class RemoteScenario {

  private static final String USAGE =
      String.join(
          "\n",
          "usage: java -cp CLASSPATH dev.gossip.testkit.RemoteScenario --agents HOST:PORT,...",
          "  --agents HOST:PORT,...  the node agents; node i runs under agent i % agents",
          "  --plan small|full       5 nodes and 3-5 s phases, or 10 nodes, a 25 s partition and a",
          "                          15 s freeze (default small)",
          "  --nodes N               nodes (default: the plan's)",
          "  --network none|link     impairments on top of the real network: none, or the full",
          "                          plan's delay and loss in the nodes' link layer (default none)",
          "  --config FILE           HOCON for every node (e.g. gossip.port, gossip.tls)");

  private RemoteScenario() {}

  public static void main(String[] args) throws IOException {
    List<String> agents = List.of();
    String planName = "small";
    Integer nodes = null;
    Network network = Network.NONE;
    String config = "pekko.loglevel = WARNING";
    try {
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        String value = args[i + 1];
        switch (args[i]) {
          case "--agents" -> agents = List.of(value.split(","));
          case "--plan" -> planName = value;
          case "--nodes" -> nodes = Integer.parseInt(value);
          case "--network" ->
              network =
                  switch (value) {
                    case "none" -> Network.NONE;
                    case "link" -> Network.LINK_LAYER;
                    default -> throw new IllegalArgumentException("--network none or link");
                  };
          case "--config" ->
              config = config + "\n" + Files.readString(Path.of(value), StandardCharsets.UTF_8);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (agents.isEmpty()) {
        throw new IllegalArgumentException("--agents is required");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("RemoteScenario: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    Plan plan =
        switch (planName) {
          case "full" -> Plan.full(network);
          case "small" -> Plan.small(network);
          default -> {
            System.err.println("RemoteScenario: --plan small or full\n" + USAGE);
            System.exit(2);
            yield null;
          }
        };
    if (nodes != null) {
      plan = plan.withNodes(nodes);
    }
    System.out.println("scenario " + plan + " on " + agents.size() + " agents, " + Instant.now());
    boolean ok;
    try (ProcessCluster cluster =
        ProcessCluster.builder().agents(agents).nodes(plan.nodes()).config(config).start()) {
      for (ProcessNode node : cluster.nodes()) {
        System.out.printf(
            Locale.ROOT,
            "%s at %s under %s: clock offset %+.2f ms +- %.2f ms%n",
            node.name(),
            node.address(),
            node.agent().orElseThrow(),
            node.clockOffset().toNanos() / 1e6,
            node.clockUncertainty().toNanos() / 1e6);
      }
      ok = Scenario.run(cluster, plan, System.out).ok();
    }
    System.exit(ok ? 0 : 1);
  }
}
