package dev.gossip.examples;

import dev.gossip.examples.chat.ChatCommand;
import dev.gossip.examples.localcluster.LocalClusterCommand;
import dev.gossip.examples.networktest.NetworkTestCommand;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The examples' one entry point: {@code java -jar gossip-examples.jar <demo> [options]}. */
@Command(
    name = "gossip-examples",
    mixinStandardHelpOptions = true,
    version = "gossip-examples 0.1.0-SNAPSHOT",
    description =
        "Demos of the gossip library (HyParView membership + Plumtree broadcast on Pekko).",
    subcommands = {
      ChatCommand.class,
      LocalClusterCommand.class,
      NetworkTestCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Examples {

  Examples() {}

  public static void main(String[] args) {
    // Initialise logging before any ActorSystem thread logs, so nothing is queued and replayed.
    LoggerFactory.getILoggerFactory();
    int code = new CommandLine(new Examples()).execute(args);
    System.exit(code);
  }
}
