package dev.gossip.sim.cli;

import dev.gossip.sim.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Runs scenario files given on the command line. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Runs scenario files (see modules/sim/simulations/) and reports as 'paper' does.")
final class RunCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario .properties files.")
  List<Path> files;

  @Mixin SuiteOptions options;

  @Override
  public Integer call() throws IOException, InterruptedException {
    List<Scenario> scenarios = new ArrayList<>();
    for (Path f : files) {
      scenarios.add(options.apply(Scenario.load(f)));
    }
    return Output.runAndReport(scenarios, options.threads, options.out);
  }
}
