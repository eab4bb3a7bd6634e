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
 * Runs the scenarios against gossip-pekko, Pekko DistributedPubSub and JGroups for each cluster
 * size, writes one JSON line per (system, size, scenario) and prints the systems side by side with
 * gossip's ratio to each of the others.
 *
 * <p>Options: {@code --sizes 8,32} {@code --out bench-results.jsonl} {@code --preset lan} (gossip's
 * preset) {@code --systems gossip,pekko-pubsub,jgroups} {@code --subscriber actor} (gossip's
 * delivery path: {@code actor} or {@code source}).
 */
public final class ClusterBenchmark {

  private static final String GOSSIP = "gossip";
  private static final String PEKKO = "pekko-pubsub";
  private static final String JGROUPS = "jgroups";

  private ClusterBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = List.of(8, 32);
    Path out = Path.of("bench-results.jsonl");
    String preset = "lan";
    List<String> systemNames = List.of(GOSSIP, PEKKO, JGROUPS);
    GossipCluster.Subscriber subscriber = GossipCluster.Subscriber.ACTOR;
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
        case "--subscriber" -> subscriber = GossipCluster.Subscriber.parse(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Map<String, Object>> results =
        run(sizes, Scenarios.Plan.standard(), systems(systemNames, preset, subscriber), System.out);
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

  private static List<Supplier<BenchCluster>> systems(
      List<String> names, String preset, GossipCluster.Subscriber subscriber) {
    List<Supplier<BenchCluster>> out = new ArrayList<>();
    for (String name : names) {
      switch (name) {
        case GOSSIP -> out.add(() -> new GossipCluster(preset, subscriber));
        case PEKKO -> out.add(PubSubCluster::new);
        case JGROUPS -> out.add(JGroupsCluster::new);
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
          new Line("formation: all-to-all (ms)", "formation", "all_to_all_ms", false),
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
          new Line("throughput CPU us/delivery", "throughput", "cpu_us_per_delivery", false),
          new Line("throughput alloc B/delivery", "throughput", "alloc_bytes_per_delivery", false),
          new Line("failure delivered", "failure", "delivered_fraction", true),
          new Line("failure kill->first (ms)", "failure", "kill_to_first_full_ms", false));

  /**
   * The side-by-side table: a column per system in the order of the results, then gossip's value
   * divided by each other system's.
   */
  public static String table(List<Map<String, Object>> results) {
    Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
    List<Integer> sizes = new ArrayList<>();
    List<String> systems = new ArrayList<>();
    for (Map<String, Object> r : results) {
      byKey.put(r.get("system") + "/" + r.get("n") + "/" + r.get("scenario"), r);
      int n = (Integer) r.get("n");
      if (!sizes.contains(n)) {
        sizes.add(n);
      }
      String system = (String) r.get("system");
      if (!systems.contains(system)) {
        systems.add(system);
      }
    }
    List<String> others = new ArrayList<>();
    if (systems.contains(GOSSIP)) {
      systems.stream().filter(s -> !s.equals(GOSSIP)).forEach(others::add);
    }
    List<String> header = new ArrayList<>(systems);
    for (String other : others) {
      header.add(GOSSIP + "/" + other.replace("-pubsub", ""));
    }
    StringBuilder b =
        new StringBuilder(String.format(Locale.ROOT, "| %-3s | %-28s |", "n", "metric"));
    StringBuilder rule = new StringBuilder("|-----|------------------------------|");
    for (String h : header) {
      b.append(String.format(Locale.ROOT, " %14s |", h));
      rule.append("---------------:|");
    }
    b.append('\n').append(rule).append('\n');
    for (int n : sizes) {
      for (Line line : LINES) {
        b.append(String.format(Locale.ROOT, "| %-3d | %-28s |", n, line.label()));
        for (String system : systems) {
          b.append(String.format(Locale.ROOT, " %14s |", format(value(byKey, system, n, line))));
        }
        Object g = value(byKey, GOSSIP, n, line);
        for (String other : others) {
          Object o = value(byKey, other, n, line);
          String ratio = "";
          if (g instanceof Number gn && o instanceof Number on && on.doubleValue() != 0) {
            ratio = String.format(Locale.ROOT, "%.2f", gn.doubleValue() / on.doubleValue());
          }
          b.append(String.format(Locale.ROOT, " %14s |", ratio));
        }
        b.append('\n');
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
