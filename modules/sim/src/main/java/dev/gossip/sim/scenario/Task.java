package dev.gossip.sim.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * One independent simulation: a scenario, a seed and one series (and failure level). Tasks share
 * nothing, so they may run on several threads and still replay exactly. {@code cost} estimates its
 * run time relative to other tasks, so a suite can start the longest first.
 */
public record Task(String label, long seed, double cost, Body body) {

  /** Runs the simulation and adds what it measured. */
  @FunctionalInterface
  public interface Body {
    void run(Outcome outcome);
  }

  public Outcome run() {
    Outcome outcome = new Outcome();
    body.run(outcome);
    return outcome;
  }

  /** The tasks a scenario file asks for, one seed at a time. */
  public static List<Task> of(Scenario s) {
    List<Task> tasks = new ArrayList<>();
    for (long seed : s.seeds()) {
      String at = s.name() + " seed " + seed + " ";
      switch (s.kind()) {
        case "failure" -> {
          for (String series : s.list(ScenarioKey.SERIES, "paper,extensions")) {
            boolean ext = series.equals("extensions");
            for (String p : s.list(ScenarioKey.FAILURE_PERCENTS, "10,20,30,40,50,60,70,80,90,95")) {
              int percent = Integer.parseInt(p);
              tasks.add(
                  new Task(
                      at + series + " " + percent + "%",
                      seed,
                      failureCost(s, ext, percent),
                      o -> FailureScenario.run(s, seed, ext, percent, o)));
            }
          }
        }
        case "stable" -> {
          double cost = nodeCycles(s, s.integer(ScenarioKey.WARMUP_CYCLES, 10) + 5);
          for (String series : s.list(ScenarioKey.SERIES, "plain, optimised")) {
            boolean optimised = series.equals("optimised");
            tasks.add(
                new Task(at + series, seed, cost, o -> StableScenario.run(s, seed, optimised, o)));
          }
        }
        case "churn" -> {
          double cost =
              nodeCycles(
                  s,
                  s.integer(ScenarioKey.WARMUP_CYCLES, 10)
                      + 1
                      + s.integer(ScenarioKey.CHURN_CYCLES, 20));
          for (String series : s.list(ScenarioKey.SERIES, "plain, optimised")) {
            boolean optimised = series.equals("optimised");
            tasks.add(
                new Task(at + series, seed, cost, o -> ChurnScenario.run(s, seed, optimised, o)));
          }
        }
        case "partition" -> {
          for (String series : s.list(ScenarioKey.SERIES, "extensions")) {
            boolean ext = series.equals("extensions");
            for (String length : s.list(ScenarioKey.PARTITION_LENGTHS, "short,long")) {
              tasks.add(
                  new Task(
                      at + series + " " + length,
                      seed,
                      // Probes every second: about four times a failure run's events per cycle.
                      4 * nodeCycles(s, s.integer(ScenarioKey.WARMUP_CYCLES, 10) + 8),
                      o -> PartitionScenario.run(s, seed, ext, length, o)));
            }
          }
        }
        case "formation" -> {
          for (String size : s.list(ScenarioKey.FORMATION_SIZES, "32, 1000")) {
            int nodes = Integer.parseInt(size);
            tasks.add(
                new Task(
                    at + nodes + " nodes",
                    seed,
                    nodes,
                    o -> FormationScenario.run(s, seed, nodes, o)));
          }
        }
        case "multi-sender" -> {
          for (String series : s.list(ScenarioKey.SERIES, "synchronous, mailboxes")) {
            boolean boxed = series.equals("mailboxes");
            tasks.add(
                new Task(
                    at + series, seed, s.nodes(), o -> MultiSenderScenario.run(s, seed, boxed, o)));
          }
        }
        default ->
            throw new IllegalArgumentException(
                s.name() + ": kind '" + s.kind() + "', not one of " + Scenario.kinds());
      }
    }
    return tasks;
  }

  /** Nodes times the membership cycles simulated: the events scale with both. */
  private static double nodeCycles(Scenario s, double cycles) {
    return (double) s.nodes() * cycles;
  }

  /**
   * Warm-up at full size, then the survivors for the healing cycles; anti-entropy's digests about
   * double a run's cost (timings at 2,000 nodes).
   */
  private static double failureCost(Scenario s, boolean extensions, int percent) {
    double cycles =
        s.integer(ScenarioKey.WARMUP_CYCLES, 10)
            + (1 + s.integer(ScenarioKey.FAILURE_HEALING_CYCLES, 6)) * (100 - percent) / 100.0;
    return nodeCycles(s, cycles) * (extensions ? 2 : 1);
  }
}
