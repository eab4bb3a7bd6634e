package dev.gossip.sim.cli;

import dev.gossip.sim.scenario.ScenarioException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** {@code java -jar gossip-sim.jar <command>}: the simulator's command line. */
@Command(
    name = "gossip-sim",
    mixinStandardHelpOptions = true,
    versionProvider = SimCommand.Version.class,
    scope = ScopeType.INHERIT,
    description = "Deterministic simulator of HyParView and Plumtree over the gossip core.",
    subcommands = {PaperCommand.class, RunCommand.class})
public final class SimCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with its handling of user errors: one line on stderr, no stack trace. */
  static CommandLine commandLine() {
    return new CommandLine(new SimCommand())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              if (e instanceof ScenarioException) {
                cmd.getErr().println(e.getMessage());
              } else if (e instanceof NoSuchFileException) {
                cmd.getErr().println(e.getMessage() + ": no such file");
              } else {
                throw e;
              }
              return cmd.getCommandSpec().exitCodeOnInvalidInput();
            });
  }

  /** The Maven project version, which the build writes into the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = SimCommand.class.getPackage().getImplementationVersion();
      return new String[] {
        "gossip-sim " + (version == null ? "(version unknown: not run from its jar)" : version)
      };
    }
  }
}
