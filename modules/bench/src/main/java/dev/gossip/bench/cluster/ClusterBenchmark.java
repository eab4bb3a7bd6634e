package dev.gossip.bench.cluster;

import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the scenarios against gossip-pekko and Pekko DistributedPubSub for each cluster size, writes
 * one JSON line per (system, size, scenario) and prints the two side by side with their ratio.
 *
 * <p>Options: {@code --sizes 8,32} {@code --out bench-results.jsonl} {@code --preset lan} (gossip's
 * preset) {@code --systems gossip,pekko-pubsub}.
 */
public final class ClusterBenchmark {

  private ClusterBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = List.of(8, 32);
    Path out = Path.of("bench-results.jsonl");
    String preset = "lan";
    List<String> systemNames = List.of("gossip", "pekko-pubsub");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--sizes" -> {
          List<Integer> s = new ArrayList<>();
          for (String v : args[i + 1].split(",")) {
            s.add(Integer.parseInt(v.trim()));
          }
          sizes = s;
        }
        case "--out" -> out = Path.of(args[i + 1]);
        case "--preset" -> preset = args[i + 1];
        case "--systems" -> systemNames = List.of(args[i + 1].split(","));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String gossipPreset = preset;
    List<Map<String, Object>> results =
        run(sizes, Scenarios.Plan.standard(), systems(systemNames, gossipPreset), System.out);
    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (Map<String, Object> r : results) {
        w.write(json(r));
        w.write('\n');
      }
    }
    String table = table(results);
    System.out.println();
    System.out.print(table);
    Path summary = Path.of(out.toString().replaceFirst("\\.jsonl$", "") + "-summary.txt");
    Files.writeString(summary, table, StandardCharsets.UTF_8);
    System.out.println(
        "\nresults: " + out.toAbsolutePath() + ", table: " + summary.toAbsolutePath());
    System.exit(0);
  }

  private static List<Supplier<BenchCluster>> systems(List<String> names, String preset) {
    List<Supplier<BenchCluster>> out = new ArrayList<>();
    for (String name : names) {
      switch (name) {
        case "gossip" -> out.add(() -> new GossipCluster(preset));
        case "pekko-pubsub" -> out.add(PubSubCluster::new);
        default -> throw new IllegalArgumentException("unknown system " + name);
      }
    }
    return out;
  }

  /** Runs every system at every size, each on a fresh set of nodes. */
  public static List<Map<String, Object>> run(
      List<Integer> sizes,
      Scenarios.Plan plan,
      List<Supplier<BenchCluster>> systems,
      PrintStream log)
      throws Exception {
    List<Map<String, Object>> results = new ArrayList<>();
    String cores = String.valueOf(Runtime.getRuntime().availableProcessors());
    for (int n : sizes) {
      for (Supplier<BenchCluster> system : systems) {
        try (BenchCluster cluster = system.get()) {
          log.println("== " + cluster.name() + ", n = " + n);
          for (Map<String, Object> r : new Scenarios(plan).run(cluster, n)) {
            r.put("cores", cores);
            r.put("time", Instant.now().toString());
            log.println(json(r));
            results.add(r);
          }
        }
        System.gc();
      }
    }
    return results;
  }

  static String json(Map<String, Object> r) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, Object> e : r.entrySet()) {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      if (v == null) {
        b.append("null");
      } else if (v instanceof Number || v instanceof Boolean) {
        b.append(v instanceof Double d && (d.isNaN() || d.isInfinite()) ? "null" : v);
      } else {
        b.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
    }
    return b.append('}').toString();
  }

  private record Line(String label, String scenario, String key, boolean higherIsBetter) {}

  private static final List<Line> LINES =
      List.of(
          new Line("formation: 1st bcast (ms)", "formation", "first_broadcast_ms", false),
          new Line("formation: views full (ms)", "formation", "views_full_ms", false),
          new Line("latency p50 (us)", "latency", "p50_us", false),
          new Line("latency p90 (us)", "latency", "p90_us", false),
          new Line("latency p99 (us)", "latency", "p99_us", false),
          new Line("latency max (us)", "latency", "max_us", false),
          new Line("latency lost", "latency", "lost", false),
          new Line("throughput (msg/s)", "throughput", "msgs_per_s", true),
          new Line("throughput lost", "throughput", "lost", false),
          new Line("throughput duplicates", "throughput", "duplicates", false),
          new Line("wire B/delivery", "throughput", "wire_bytes_per_delivery", false),
          new Line("loopback B/delivery", "throughput", "loopback_bytes_per_delivery", false),
          new Line("failure delivered", "failure", "delivered_fraction", true),
          new Line("failure kill->first (ms)", "failure", "kill_to_first_full_ms", false));

  /** The side-by-side table; the ratio is gossip / pekko-pubsub. */
  public static String table(List<Map<String, Object>> results) {
    Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
    List<Integer> sizes = new ArrayList<>();
    for (Map<String, Object> r : results) {
      byKey.put(r.get("system") + "/" + r.get("n") + "/" + r.get("scenario"), r);
      int n = (Integer) r.get("n");
      if (!sizes.contains(n)) {
        sizes.add(n);
      }
    }
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "| %-3s | %-26s | %12s | %12s | %8s |%n",
            "n",
            "metric",
            "gossip",
            "pekko-pubsub",
            "ratio"));
    b.append("|-----|----------------------------|-------------:|-------------:|---------:|\n");
    for (int n : sizes) {
      for (Line line : LINES) {
        Object g = value(byKey, "gossip", n, line);
        Object p = value(byKey, "pekko-pubsub", n, line);
        String ratio = "";
        if (g instanceof Number gn && p instanceof Number pn && pn.doubleValue() != 0) {
          ratio = String.format(Locale.ROOT, "%.2f", gn.doubleValue() / pn.doubleValue());
        }
        b.append(
            String.format(
                Locale.ROOT,
                "| %-3d | %-26s | %12s | %12s | %8s |%n",
                n,
                line.label(),
                format(g),
                format(p),
                ratio));
      }
    }
    return b.toString();
  }

  private static Object value(
      Map<String, Map<String, Object>> byKey, String system, int n, Line line) {
    Map<String, Object> r = byKey.get(system + "/" + n + "/" + line.scenario());
    return r == null ? null : r.get(line.key());
  }

  private static String format(Object v) {
    if (v == null) {
      return "n/a";
    }
    if (v instanceof Double d) {
      return Math.abs(d) < 10 && d != Math.rint(d)
          ? String.format(Locale.ROOT, "%.4f", d)
          : String.format(Locale.ROOT, "%.0f", d);
    }
    return v.toString();
  }
}
