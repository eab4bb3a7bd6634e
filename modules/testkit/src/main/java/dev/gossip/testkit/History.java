package dev.gossip.testkit;

import dev.gossip.core.MessageId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything a {@link ProcessCluster} saw, for checking the library's guarantee afterwards (in the
 * manner of Jepsen's histories): every broadcast with its origin, time, phase and the faults in
 * force; every delivery with node and time; when each node joined, froze, thawed and stopped; and
 * every partition. Times are wall-clock microseconds, the clock the node processes stamp their
 * events with. Thread-safe.
 *
 * <p>{@link #check} states the guarantee and returns its violations with a table per phase.
 */
public final class History {

  /** A broadcast as its origin delivered it (hops 0). */
  public record Broadcast(
      MessageId id, String origin, long micros, String phase, List<String> faults) {}

  private record Interval(long from, long to) {
    boolean contains(long t) {
      return from <= t && t <= to;
    }

    long length() {
      return to - from;
    }
  }

  /** A cut between groups of nodes, made in one layer (link faults or the kernel). */
  private record Cut(String layer, String label, long from, long to, List<Set<String>> groups) {
    Interval interval() {
      return new Interval(from, to);
    }

    /** Whether the cut separates the two nodes (nodes in no group keep their links). */
    boolean separates(String a, String b) {
      int ga = group(a);
      int gb = group(b);
      return ga >= 0 && gb >= 0 && ga != gb;
    }

    private int group(String node) {
      for (int i = 0; i < groups.size(); i++) {
        if (groups.get(i).contains(node)) {
          return i;
        }
      }
      return -1;
    }
  }

  private record Phase(String name, long from) {}

  private final Map<MessageId, Broadcast> broadcasts = new LinkedHashMap<>();
  private final Map<MessageId, Map<String, List<Long>>> deliveries = new LinkedHashMap<>();
  private final Map<String, Long> joined = new LinkedHashMap<>();
  private final Map<String, Long> stopped = new LinkedHashMap<>();
  private final Map<String, Long> frozenSince = new LinkedHashMap<>();
  private final Map<String, List<Interval>> frozen = new LinkedHashMap<>();
  private final List<Cut> cuts = new ArrayList<>();
  private final Set<String> faults = new LinkedHashSet<>();
  private final List<Phase> phases = new ArrayList<>(List.of(new Phase("start", now())));

  /** Wall-clock microseconds. */
  static long now() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  /** Starts a phase: broadcasts from now on are counted under its name. */
  public synchronized void phase(String name) {
    phases.add(new Phase(name, now()));
  }

  synchronized void delivered(String node, boolean origin, MessageId id, long micros) {
    if (origin && !broadcasts.containsKey(id)) {
      broadcasts.put(
          id,
          new Broadcast(
              id, node, micros, phases.get(phases.size() - 1).name(), List.copyOf(faults)));
    }
    deliveries
        .computeIfAbsent(id, k -> new LinkedHashMap<>())
        .computeIfAbsent(node, k -> new ArrayList<>())
        .add(micros);
  }

  synchronized void joined(String node) {
    joined.put(node, now());
  }

  synchronized void stopped(String node, String how) {
    stopped.putIfAbsent(node, now());
    faults.add(how + " " + node);
  }

  synchronized void froze(String node) {
    frozenSince.put(node, now());
    faults.add("frozen " + node);
  }

  synchronized void thawed(String node) {
    Long since = frozenSince.remove(node);
    if (since != null) {
      frozen.computeIfAbsent(node, k -> new ArrayList<>()).add(new Interval(since, now()));
    }
    faults.remove("frozen " + node);
  }

  synchronized void cut(String layer, List<Set<String>> groups, String label) {
    cuts.add(new Cut(layer, label, now(), Long.MAX_VALUE, List.copyOf(groups)));
    faults.add(label);
  }

  /** Ends every cut of the layer. */
  synchronized void healed(String layer) {
    long now = now();
    cuts.replaceAll(
        c -> {
          if (c.layer().equals(layer) && c.to() == Long.MAX_VALUE) {
            faults.remove(c.label());
            return new Cut(layer, c.label(), c.from(), now, c.groups());
          }
          return c;
        });
  }

  synchronized void fault(String label, boolean inForce) {
    if (inForce) {
      faults.add(label);
    } else {
      faults.remove(label);
    }
  }

  synchronized void clearFrameFaults() {
    faults.removeIf(f -> f.startsWith("frame"));
  }

  /** Every broadcast so far, in the order the origins delivered them. */
  public synchronized List<Broadcast> broadcasts() {
    return List.copyOf(broadcasts.values());
  }

  /**
   * Checks the guarantee over the history so far, with {@code receivers} the nodes up now:
   *
   * <ul>
   *   <li>each message is delivered at most once per node;
   *   <li>a message from a node connected to the overlay (it stayed up, or another node delivered
   *       the message) reaches every receiver that had joined when it was broadcast, unless the
   *       receiver was cut off from the origin (frozen, or on another side of a partition) at that
   *       time for longer than {@code retention}, the longest cut-off a node catches up from.
   * </ul>
   */
  public synchronized Report check(Collection<String> receivers, Duration retention) {
    long retentionMicros = retention.toNanos() / 1_000;
    long end = now();
    List<String> violations = new ArrayList<>();
    Map<String, PhaseFigures> table = new LinkedHashMap<>();
    for (int i = 0; i < phases.size(); i++) {
      long to = i + 1 < phases.size() ? phases.get(i + 1).from() : end;
      table.putIfAbsent(phases.get(i).name(), new PhaseFigures(phases.get(i).name(), to));
    }
    deliveries.forEach(
        (id, at) ->
            at.forEach(
                (node, times) -> {
                  if (times.size() > 1) {
                    Broadcast b = broadcasts.get(id);
                    if (b != null) {
                      table.get(b.phase()).duplicates += times.size() - 1;
                    }
                    violations.add(
                        "duplicate: " + node + " delivered " + id + " " + times.size() + " times");
                  }
                }));
    for (Broadcast b : broadcasts.values()) {
      PhaseFigures figures = table.get(b.phase());
      figures.broadcasts++;
      Map<String, List<Long>> at = deliveries.get(b.id());
      boolean connected = !stopped.containsKey(b.origin()) || at.size() > 1;
      for (String node : receivers) {
        if (node.equals(b.origin())) {
          continue;
        }
        List<Long> times = at.get(node);
        if (times != null) {
          figures.delivered(b, node, times.get(0));
        }
        if (!connected || !expected(b, node, retentionMicros)) {
          continue;
        }
        figures.expected++;
        if (times == null) {
          figures.missing++;
          violations.add(
              "missing: "
                  + node
                  + " never delivered "
                  + b.id()
                  + " from "
                  + b.origin()
                  + " (phase "
                  + b.phase()
                  + ", faults "
                  + b.faults()
                  + ")");
        }
      }
    }
    return new Report(violations, List.copyOf(table.values()));
  }

  private boolean expected(Broadcast b, String node, long retentionMicros) {
    Long since = joined.get(node);
    if (since == null || since > b.micros()) {
      return false;
    }
    List<Interval> away = new ArrayList<>(frozen.getOrDefault(node, List.of()));
    Long frozenNow = frozenSince.get(node);
    if (frozenNow != null) {
      away.add(new Interval(frozenNow, Long.MAX_VALUE));
    }
    for (Cut cut : cuts) {
      if (cut.separates(node, b.origin())) {
        away.add(cut.interval());
      }
    }
    return away.stream().noneMatch(i -> i.contains(b.micros()) && i.length() > retentionMicros);
  }

  /** The figures of the broadcasts made in one phase. */
  public static final class PhaseFigures {
    private final String name;
    private final long end;
    private int broadcasts;
    private long expected;
    private long missing;
    private long duplicates;
    private long lastDelivery = Long.MIN_VALUE;
    private final List<Long> latencies = new ArrayList<>();
    private String slowest = "";
    private long slowestMicros = -1;

    private PhaseFigures(String name, long end) {
      this.name = name;
      this.end = end;
    }

    private void delivered(Broadcast b, String node, long micros) {
      long latency = micros - b.micros();
      latencies.add(latency);
      lastDelivery = Math.max(lastDelivery, micros);
      if (latency > slowestMicros) {
        slowestMicros = latency;
        slowest = b.id() + " from " + b.origin() + " at " + node;
      }
    }

    public String name() {
      return name;
    }

    public int broadcasts() {
      return broadcasts;
    }

    /** (message, node) pairs the guarantee requires. */
    public long expected() {
      return expected;
    }

    public long missing() {
      return missing;
    }

    public long duplicates() {
      return duplicates;
    }

    /** Delivery latency (first delivery at a node minus the broadcast) at this quantile, ms. */
    public double latencyMillis(double quantile) {
      if (latencies.isEmpty()) {
        return Double.NaN;
      }
      List<Long> sorted = latencies.stream().sorted().toList();
      int index = (int) Math.ceil(quantile * sorted.size()) - 1;
      return sorted.get(Math.max(0, index)) / 1000.0;
    }

    /** The (message, node) pair delivered last after its broadcast, and how long it took. */
    public String slowest() {
      return slowestMicros < 0
          ? "-"
          : String.format(Locale.ROOT, "%.1f ms: %s", slowestMicros / 1000.0, slowest);
    }

    /**
     * How long after the phase ended its last message arrived, ms (0 if all arrived within it): for
     * a phase ended by a heal or a thaw, the time the overlay took to catch up.
     */
    public double settledAfterMillis() {
      return lastDelivery == Long.MIN_VALUE ? 0 : Math.max(0, lastDelivery - end) / 1000.0;
    }
  }

  /** The violations of the guarantee, and the figures per phase. */
  public record Report(List<String> violations, List<PhaseFigures> phases) {

    public boolean ok() {
      return violations.isEmpty();
    }

    /** The phase table, then the violations (the first 50). */
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder();
      s.append(
          String.format(
              Locale.ROOT,
              "%-20s %10s %9s %8s %6s %9s %9s %12s%n",
              "phase",
              "broadcasts",
              "expected",
              "missing",
              "dups",
              "p50 ms",
              "p99 ms",
              "settled ms"));
      for (PhaseFigures p : phases) {
        s.append(
            String.format(
                Locale.ROOT,
                "%-20s %10d %9d %8d %6d %9.1f %9.1f %12.0f%n",
                p.name(),
                p.broadcasts(),
                p.expected(),
                p.missing(),
                p.duplicates(),
                p.latencyMillis(0.5),
                p.latencyMillis(0.99),
                p.settledAfterMillis()));
      }
      for (PhaseFigures p : phases) {
        s.append(String.format(Locale.ROOT, "slowest in %s: %s%n", p.name(), p.slowest()));
      }
      s.append(violations.size()).append(" violations");
      violations.stream().limit(50).forEach(v -> s.append("\n  ").append(v));
      return s.toString();
    }
  }
}
