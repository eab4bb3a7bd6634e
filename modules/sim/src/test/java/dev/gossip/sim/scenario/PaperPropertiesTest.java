package dev.gossip.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Seeded runs of the paper scenarios at up to 1,000 nodes, asserting the protocols' properties. */
class PaperPropertiesTest {

  private static Scenario scenario(String kind, String... keyValues) {
    Properties p = new Properties();
    p.setProperty("kind", kind);
    p.setProperty("heartbeat-interval", "5s");
    p.setProperty("heartbeat-timeout", "15s");
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return new Scenario(kind, p);
  }

  private static Results run(Scenario s) throws InterruptedException {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return Suite.run(List.of(s), 2, quiet).results();
  }

  private static double value(Results r, String figure, String series, String x) {
    for (Results.Line l : r.lines()) {
      if (l.figure().equals(figure) && l.series().equals(series) && l.x().equals(x)) {
        return l.measured();
      }
    }
    throw new AssertionError("no row " + figure + " " + series + " " + x);
  }

  @Test
  void everyLiveNodeDeliversAfterTwentyAndFiftyPercentFail() throws InterruptedException {
    Results r =
        run(
            scenario(
                "failure",
                "nodes",
                "1000",
                "seeds",
                "2",
                "warmup-cycles",
                "5",
                "failure.percents",
                "20, 50",
                "failure.broadcasts",
                "100",
                "failure.healing-cycles",
                "2"));
    for (String series : List.of("paper", "extensions")) {
      assertEquals(100.0, value(r, "hyparview-fig2", series, "20"), series);
    }
    assertEquals(100.0, value(r, "hyparview-fig2", "extensions", "50"));
    assertEquals(100.0, value(r, "plumtree-first-broadcast", "extensions", "50"));
  }

  /**
   * The links a cycle's joins and crashes create start eager: the first broadcast after them
   * carries their duplicates and prunes them, the next ones in the same cycle find a settled tree.
   */
  @Test
  void churnDuplicatesComeWithTheFirstBroadcastAfterTheChanges() throws InterruptedException {
    Results r =
        run(
            scenario(
                "churn",
                "nodes",
                "300",
                "warmup-cycles",
                "5",
                "churn.per-cycle",
                "3",
                "churn.cycles",
                "4",
                "churn.broadcasts-per-cycle",
                "4"));
    for (String series : List.of("plain", "optimised")) {
      assertEquals(100.0, value(r, "plumtree-churn", series, "reliability"), series);
      double first = value(r, "plumtree-churn", series, "rmr-first-after-changes");
      double others = value(r, "plumtree-churn", series, "rmr-others");
      assertTrue(first > 0.02 && others < first / 3, series + ": " + first + " / " + others);
      assertEquals(
          (first + 3 * others) / 4, value(r, "plumtree-churn", series, "rmr"), 1e-9, series);
    }
  }

  @Test
  void stableNetworkHasSettledTreeShortPathsAndSymmetricConnectedViews()
      throws InterruptedException {
    int nodes = 1000;
    Results r =
        run(
            scenario(
                "stable",
                "nodes",
                Integer.toString(nodes),
                "seeds",
                "1",
                "warmup-cycles",
                "10",
                "stable.broadcasts",
                "20"));
    assertTrue(value(r, "plumtree-stable", "plain", "rmr") < 0.05);
    assertTrue(value(r, "plumtree-stable", "optimised", "rmr") < 0.05);
    // A random graph of degree 5 has diameter about log_4(n); the tree may triple it.
    double bound = 3 * Math.ceil(Math.log(nodes) / Math.log(4));
    assertTrue(value(r, "plumtree-stable", "plain", "ldh") <= bound);
    assertTrue(value(r, "plumtree-stable", "optimised", "ldh") <= bound);
    assertEquals(100.0, value(r, "plumtree-stable", "plain", "reliability"));
    assertEquals(1.0, value(r, "hyparview-graph", "hyparview", "symmetry"));
    assertEquals(1.0, value(r, "hyparview-graph", "hyparview", "components"));
    assertEquals(0.0, value(r, "hyparview-graph", "hyparview", "isolated"));
  }

  @Test
  void bothHalvesOfAPartitionDeliverEverythingAfterTheHeal() throws InterruptedException {
    Results r =
        run(
            scenario(
                "partition",
                "nodes",
                "500",
                "seeds",
                "1",
                "warmup-cycles",
                "3",
                "heartbeat-interval",
                "1s",
                "heartbeat-timeout",
                "5s",
                "partition.cycles",
                "2"));
    for (String length : List.of("short", "long")) {
      assertEquals(100.0, value(r, "partition", "extensions", length + "-during"), length);
      assertEquals(100.0, value(r, "partition", "extensions", length + "-after"), length);
    }
  }

  @Test
  void everyActiveViewFillsAfterNodesJoinThroughOneContactAndThenStaysStill()
      throws InterruptedException {
    Results r =
        run(
            scenario(
                "formation",
                "formation.sizes",
                "8, 32, 1000",
                "seeds",
                "1",
                "heartbeat-interval",
                "1s",
                "heartbeat-timeout",
                "5s",
                "formation.limit",
                "30s",
                "formation.stable-cycles",
                "3"));
    for (String n : List.of("8", "32", "1000")) {
      assertEquals(0.0, value(r, "formation", "lan", n + "-below-capacity"), n);
      assertEquals(0.0, value(r, "formation", "lan", n + "-evictions-after"), n);
    }
  }

  @Test
  void sameSeedReplaysByteIdenticalMetrics() throws Exception {
    Scenario s =
        scenario(
            "failure",
            "nodes",
            "400",
            "seeds",
            "1",
            "series",
            "extensions",
            "warmup-cycles",
            "3",
            "failure.percents",
            "40",
            "failure.broadcasts",
            "50",
            "failure.healing-cycles",
            "2");
    assertEquals(csv(run(s)), csv(run(s)));
  }

  private static String csv(Results r) throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("results", ".csv");
    try {
      r.writeCsv(f);
      return java.nio.file.Files.readString(f);
    } finally {
      java.nio.file.Files.delete(f);
    }
  }
}
