package dev.gossip.sim.cli;

import dev.gossip.sim.scenario.Charts;
import dev.gossip.sim.scenario.Scenario;
import dev.gossip.sim.scenario.Suite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Runs scenarios and reports: the table on stdout, results.csv and charts in the out folder. */
final class Output {
  private Output() {}

  static int runAndReport(List<Scenario> scenarios, int threads, Path out)
      throws IOException, InterruptedException {
    Files.createDirectories(out);
    System.out.printf(
        Locale.ROOT, "running %d scenario(s) on %d thread(s)%n", scenarios.size(), threads);
    Suite.Summary summary = Suite.run(scenarios, threads, System.out);
    System.out.println();
    summary.results().print(System.out);
    summary.results().writeCsv(out.resolve("results.csv"));
    List<Path> charts = Charts.write(summary.results(), summary.traces(), out);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "wall time %.1f s, %d simulated events, %.0f events/s%n",
        summary.wallSeconds(),
        summary.events(),
        summary.eventsPerSecond());
    System.out.println("wrote " + out.resolve("results.csv"));
    charts.forEach(c -> System.out.println("wrote " + c));
    return 0;
  }

  static Scenario override(Scenario s, Integer nodes, String seeds, Integer broadcasts) {
    Scenario r = s;
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
