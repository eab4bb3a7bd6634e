package dev.gossip.sim.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * One independent simulation: a scenario, a seed and one series (and failure level). Tasks share
 * nothing, so they may run on several threads and still replay exactly.
 */
public record Task(String label, long seed, Body body) {

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
          for (String series : s.list("series", "paper,extensions")) {
            boolean ext = series.equals("extensions");
            for (String p : s.list("failure.percents", "10,20,30,40,50,60,70,80,90,95")) {
              int percent = Integer.parseInt(p);
              tasks.add(
                  new Task(
                      at + series + " " + percent + "%",
                      seed,
                      o -> FailureScenario.run(s, seed, ext, percent, o)));
            }
          }
        }
        case "stable" -> {
          tasks.add(new Task(at + "plain", seed, o -> StableScenario.run(s, seed, false, o)));
          tasks.add(new Task(at + "optimised", seed, o -> StableScenario.run(s, seed, true, o)));
        }
        case "churn" -> {
          tasks.add(new Task(at + "plain", seed, o -> ChurnScenario.run(s, seed, false, o)));
          tasks.add(new Task(at + "optimised", seed, o -> ChurnScenario.run(s, seed, true, o)));
        }
        case "partition" -> {
          for (String series : s.list("series", "extensions")) {
            boolean ext = series.equals("extensions");
            for (String length : s.list("partition.lengths", "short,long")) {
              tasks.add(
                  new Task(
                      at + series + " " + length,
                      seed,
                      o -> PartitionScenario.run(s, seed, ext, length, o)));
            }
          }
        }
        case "formation" -> {
          for (String size : s.list("formation.sizes", "32, 1000")) {
            int nodes = Integer.parseInt(size);
            tasks.add(
                new Task(
                    at + nodes + " nodes", seed, o -> FormationScenario.run(s, seed, nodes, o)));
          }
        }
        case "multi-sender" -> {
          for (String series : s.list("series", "synchronous, mailboxes")) {
            boolean boxed = series.equals("mailboxes");
            tasks.add(new Task(at + series, seed, o -> MultiSenderScenario.run(s, seed, boxed, o)));
          }
        }
        default ->
            throw new IllegalArgumentException(
                s.name()
                    + ": unknown kind '"
                    + s.kind()
                    + "' (failure, stable, churn, partition, formation, multi-sender)");
      }
    }
    return tasks;
  }
}
