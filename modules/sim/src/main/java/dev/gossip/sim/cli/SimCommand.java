package dev.gossip.sim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar gossip-sim.jar <command>}: the simulator's command line. */
@Command(
    name = "gossip-sim",
    mixinStandardHelpOptions = true,
    description = "Deterministic simulator of HyParView and Plumtree over the gossip core.",
    subcommands = {PaperCommand.class, RunCommand.class})
public final class SimCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimCommand()).execute(args));
  }
}
