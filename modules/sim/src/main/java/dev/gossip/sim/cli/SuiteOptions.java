package dev.gossip.sim.cli;

import dev.gossip.sim.scenario.Scenario;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options 'paper' and 'run' share: overrides of the scenario files, and how to run them. */
final class SuiteOptions {

  @Option(names = "--nodes", description = "Nodes per scenario (default: each file's).")
  Integer nodes;

  @Option(
      names = "--seeds",
      description =
          "Seeds: a count n for 1..n, or a list with a comma: 3,7 or 7, for seed 7 alone"
              + " (default: each file's; 1 in the paper suite's).")
  String seeds;

  @Option(
      names = "--broadcasts",
      description = "Broadcasts after each failure (default: the file's failure.broadcasts).")
  Integer broadcasts;

  @Option(
      names = "--mailboxes",
      description =
          "Compose each node's roles in per-role mailboxes interleaved at random, as the"
              + " runtime's actors may (default: the file's composition key, or synchronous). Not"
              + " for the multi-sender kind: its series key names the compositions it runs.")
  boolean mailboxes;

  @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("target/sim");

  @Option(names = "--threads", description = "Simulations run at once (default: cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  /** The scenario with the options given on the command line in place of its own values. */
  Scenario apply(Scenario s) {
    Scenario r = mailboxes ? s.with("composition", "mailboxes") : s;
    if (nodes != null) {
      r = r.with("nodes", nodes.toString());
    }
    if (seeds != null) {
      r = r.with("seeds", seeds);
    }
    if (broadcasts != null) {
      r = r.with("failure.broadcasts", broadcasts.toString());
    }
    return r;
  }
}
