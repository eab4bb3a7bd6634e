package dev.gossip.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/** {@code --help} of every demo explains every flag and argument. */
class HelpTest {

  @Test
  void everyOptionAndParameterOfEveryDemoHasADescriptionInItsHelp() {
    CommandLine root = new CommandLine(new Examples());
    Map<String, CommandLine> demos = root.getSubcommands();
    assertTrue(
        demos.keySet().containsAll(java.util.List.of("chat", "local-cluster", "network-test")));
    for (Map.Entry<String, CommandLine> demo : demos.entrySet()) {
      String help = demo.getValue().getUsageMessage();
      for (ArgSpec arg : demo.getValue().getCommandSpec().args()) {
        String[] description = arg.description();
        assertFalse(
            description.length == 0 || description[0].isBlank(),
            demo.getKey() + " " + arg.paramLabel() + " has no description");
        assertTrue(help.contains(description[0].split("\\s+")[0]), demo.getKey() + "\n" + help);
      }
    }
  }
}
