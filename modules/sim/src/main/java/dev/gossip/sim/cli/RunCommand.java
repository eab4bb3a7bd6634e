package dev.gossip.sim.cli;

import dev.gossip.sim.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs scenario files given on the command line. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Runs scenario files (see modules/sim/simulations/) and reports as 'paper' does.")
final class RunCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario .properties files.")
  List<Path> files;

  @Option(names = "--nodes", description = "Override the files' node count.")
  Integer nodes;

  @Option(
      names = "--seeds",
      description =
          "Override the files' seeds: a count n for 1..n, or a list with a comma: 3,7 or 7, for"
              + " seed 7 alone.")
  String seeds;

  @Option(names = "--broadcasts", description = "Override failure.broadcasts.")
  Integer broadcasts;

  @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("target/sim");

  @Option(names = "--threads", description = "Simulations run at once (default: cores).")
  int threads = Runtime.getRuntime().availableProcessors();

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
    for (Path f : files) {
      scenarios.add(Output.override(Scenario.load(f), nodes, seeds, broadcasts, mailboxes));
    }
    return Output.runAndReport(scenarios, threads, out);
  }
}
