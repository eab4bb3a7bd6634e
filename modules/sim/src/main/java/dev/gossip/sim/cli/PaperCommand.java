package dev.gossip.sim.cli;

import dev.gossip.sim.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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

  @Mixin SuiteOptions options;

  @Override
  public Integer call() throws IOException, InterruptedException {
    List<Scenario> scenarios = new ArrayList<>();
    for (String name : SCENARIOS) {
      try (InputStream in =
          PaperCommand.class.getResourceAsStream("/simulations/" + name + ".properties")) {
        if (in == null) {
          throw new IOException("scenario " + name + " missing from the jar");
        }
        scenarios.add(options.apply(Scenario.load(name, in)));
      }
    }
    return Output.runAndReport(scenarios, options.threads, options.out);
  }
}
