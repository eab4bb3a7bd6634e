package dev.gossip.sim.cli;

import dev.gossip.sim.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs every paper scenario and compares with the papers' values. */
@Command(
    name = "paper",
    mixinStandardHelpOptions = true,
    description =
        "Runs the HyParView and Plumtree paper scenarios (and the extension and partition series),"
            + " prints figure, series, x, paper, measured, spread and writes results.csv and"
            + " charts.")
final class PaperCommand implements Callable<Integer> {

  /** The scenario files of the paper suite, shipped in the jar under simulations/. */
  static final List<String> SCENARIOS =
      List.of("hyparview-failure", "stable", "churn", "partition");

  @Option(names = "--nodes", description = "Nodes per scenario (default: each file's).")
  Integer nodes;

  @Option(
      names = "--seeds",
      description =
          "Seeds: a count n for 1..n, or a list with a comma: 3,7 or 7, for seed 7 alone"
              + " (default: 1).")
  String seeds = "1";

  @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("target/sim");

  @Option(names = "--threads", description = "Simulations run at once (default: cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--broadcasts",
      description = "Broadcasts after each failure (default: the file's, 1000 as in the paper).")
  Integer broadcasts;

  @Option(
      names = "--mailboxes",
      description =
          "Compose each node's roles in per-role mailboxes interleaved at random, as the"
              + " runtime's actors may (default: synchronous). The multi-sender scenario runs both"
              + " as its series.")
  boolean mailboxes;

  @Override
  public Integer call() throws IOException, InterruptedException {
    List<Scenario> scenarios = new ArrayList<>();
    for (String name : SCENARIOS) {
      try (InputStream in =
          PaperCommand.class.getResourceAsStream("/simulations/" + name + ".properties")) {
        if (in == null) {
          throw new IOException("scenario " + name + " missing from the jar");
        }
        scenarios.add(
            Output.override(Scenario.load(name, in), nodes, seeds, broadcasts, mailboxes));
      }
    }
    return Output.runAndReport(scenarios, threads, out);
  }
}
