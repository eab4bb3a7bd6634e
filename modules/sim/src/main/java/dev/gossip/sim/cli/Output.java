package dev.gossip.sim.cli;

import dev.gossip.sim.scenario.Charts;
import dev.gossip.sim.scenario.Scenario;
import dev.gossip.sim.scenario.Suite;
import java.io.IOException;
import java.lang.management.ManagementFactory;
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
    long cpuStart = processCpuNanos();
    Suite.Summary summary = Suite.run(scenarios, threads, System.out);
    double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
    System.out.println();
    summary.results().print(System.out);
    summary.results().writeCsv(out.resolve("results.csv"));
    List<Path> charts = Charts.write(summary.results(), summary.traces(), out);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "wall time %.1f s, %d simulated events, %.0f events/s; process CPU time %.1f s on %d"
            + " cores (load average now %.1f)%n",
        summary.wallSeconds(),
        summary.events(),
        summary.eventsPerSecond(),
        cpuSeconds,
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.println("wrote " + out.resolve("results.csv"));
    charts.forEach(c -> System.out.println("wrote " + c));
    return 0;
  }

  /** CPU time of the whole process: with other load on the machine, wall time alone misleads. */
  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
