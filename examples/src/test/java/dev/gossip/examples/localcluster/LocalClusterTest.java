package dev.gossip.examples.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The local-cluster demo end to end, small enough for a test run. */
class LocalClusterTest {

  private static String run(int expectedExit, String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new LocalClusterCommand());
    cli.setOut(new PrintWriter(out, true));
    int exit = cli.execute(args);
    assertEquals(expectedExit, exit, out.toString());
    return out.toString();
  }

  @Test
  void fiveNodesDeliverEveryBroadcastAndTheSummarySaysSo() {
    String out = run(0, "--nodes", "5", "--rate", "20", "--duration", "2", "--seed", "7");
    // Five nodes with four links each: the broadcasts start on a complete graph.
    assertTrue(out.contains("every active view full"), out);
    assertTrue(out.contains("summary"), out);
    assertTrue(out.contains("delivered    100.00 % (200 of 200 deliveries"), out);
    assertTrue(out.contains("RMR"), out);
    assertTrue(out.contains("LDH"), out);
  }

  @Test
  void sevenNodesWithFiveLinksEachStartOnceAllButOneViewIsFull() {
    // 7 x 5 link ends is odd: one view always stays a link short, so waiting for all would wait
    // for ever.
    String out = run(0, "--nodes", "7", "--rate", "10", "--duration", "1");
    assertTrue(out.contains("every active view full but one, a link short,"), out);
  }

  @Test
  void atOnceBroadcastsWithoutWaitingForTheViews() {
    String out = run(0, "--nodes", "4", "--rate", "20", "--duration", "1", "--at-once");
    assertFalse(out.contains("active view full"), out);
    assertTrue(out.contains("; broadcasting 20 x 256 bytes at 20/s"), out);
    assertTrue(out.contains("delivered    100.00 % (80 of 80 deliveries"), out);
  }

  @Test
  void afterAThirdOfTheNodesCrashTheSurvivorsStillDeliverEveryBroadcast() {
    String out =
        run(0, "--nodes", "6", "--rate", "10", "--duration", "3", "--kill", "0.34", "--seed", "3");
    assertTrue(out.contains("killed 2 nodes"), out);
    assertTrue(out.contains("6 started, 4 survived"), out);
    assertTrue(out.contains("delivered    100.00 % (120 of 120 deliveries"), out);
  }

  @Test
  void aSplitHealsAndEveryBroadcastStillReachesEveryNode() {
    String out =
        run(0, "--nodes", "6", "--rate", "10", "--duration", "4", "--split", "--heal-after", "1");
    assertTrue(out.contains("split: nodes 0..2 | 3..5"), out);
    assertTrue(out.contains("healed the split"), out);
    assertTrue(out.contains("delivered    100.00 % (240 of 240 deliveries"), out);
  }

  @Test
  void helpExplainsEveryFlag() {
    String help = new CommandLine(new LocalClusterCommand()).getUsageMessage();
    for (String flag :
        new String[] {
          "--nodes",
          "--rate",
          "--duration",
          "--size",
          "--kill",
          "--split",
          "--fault-at",
          "--heal-after",
          "--settle",
          "--preset",
          "--seed",
          "--at-once",
          "--verbose",
          "--help"
        }) {
      assertTrue(help.contains(flag), flag + " in\n" + help);
    }
  }
}
