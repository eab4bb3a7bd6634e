package dev.gossip.bench.cluster;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;

/** The four scenarios of the comparison, run the same way against any {@link BenchCluster}. */
public final class Scenarios {

  /** Sizes and counts of one run; the defaults are the ones this module's README reports. */
  public record Plan(
      int payloadSize,
      int warmupMessages,
      int latencyMessages,
      int throughputMessages,
      int window,
      int failureMessages,
      Duration failurePace,
      Duration formationTimeout,
      Duration readyTimeout,
      Duration idleTimeout) {

    public static Plan standard() {
      return new Plan(
          256,
          2_000,
          1_000,
          20_000,
          1_000,
          200,
          Duration.ofMillis(10),
          Duration.ofSeconds(15),
          Duration.ofSeconds(60),
          Duration.ofSeconds(15));
    }
  }

  /** Room for the probes of the formation scenario (at most one per 50 ms, then n per second). */
  private static final int FORMATION_MESSAGES = 10_000;

  /** Latency messages lost one after the other (5 s each) that end the latency scenario. */
  private static final int LATENCY_LOST_IN_A_ROW = 10;

  private final Plan plan;
  private int scenarioNumber;

  public Scenarios(Plan plan) {
    this.plan = plan;
  }

  private Tracker tracker(BenchCluster cluster, boolean[] alive, int messages) {
    Tracker t = new Tracker(++scenarioNumber, messages, alive, plan.window());
    cluster.track(t);
    return t;
  }

  private static boolean[] all(int n) {
    boolean[] a = new boolean[n];
    java.util.Arrays.fill(a, true);
    return a;
  }

  /**
   * Starts {@code n} nodes and runs formation, latency, throughput and failure in that order; one
   * result map per scenario.
   */
  public List<Map<String, Object>> run(BenchCluster cluster, int n) throws Exception {
    List<Map<String, Object>> results = new ArrayList<>();
    cluster.start(n);
    results.add(formation(cluster, n));
    warmup(cluster, n);
    results.add(latency(cluster, n));
    results.add(throughput(cluster, n));
    results.add(failure(cluster, n));
    return results;
  }

  private static Map<String, Object> row(BenchCluster cluster, int n, String scenario) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("system", cluster.name());
    r.put("n", n);
    r.put("scenario", scenario);
    return r;
  }

  /**
   * From the first join: until a broadcast from node 0 reaches every node (probes every 50 ms, as
   * Pekko's subscriber registry spreads only after the members are Up), and until every view is
   * full; then until a broadcast from every node reaches every node, so that the scenarios after it
   * measure a formed cluster.
   */
  Map<String, Object> formation(BenchCluster cluster, int n) throws Exception {
    Map<String, Object> r = row(cluster, n, "formation");
    Tracker t = tracker(cluster, all(n), FORMATION_MESSAGES);
    long start = System.nanoTime();
    cluster.join();
    long deadline = start + plan.formationTimeout().toNanos();
    long viewsFull = 0;
    long nextProbe = 0;
    int probes = 0;
    while (System.nanoTime() < deadline && (viewsFull == 0 || t.completed() == 0)) {
      if (t.completed() == 0 && System.nanoTime() >= nextProbe && probes < FORMATION_MESSAGES) {
        t.sent(probes);
        cluster.broadcast(0, t.payload(probes, plan.payloadSize()));
        probes++;
        nextProbe = System.nanoTime() + 50_000_000L;
      }
      if (viewsFull == 0 && cluster.viewsFull()) {
        viewsFull = System.nanoTime();
      }
      Thread.sleep(1);
    }
    long first = Long.MAX_VALUE;
    for (int i = 0; i < probes; i++) {
      long c = t.completedNanos(i);
      if (c != 0) {
        first = Math.min(first, c);
      }
    }
    r.put("probes", probes);
    r.put("first_broadcast_ms", first == Long.MAX_VALUE ? null : (first - start) / 1e6);
    r.put("views_full_ms", viewsFull == 0 ? null : (viewsFull - start) / 1e6);
    r.put(
        "formation_ms",
        viewsFull == 0 || first == Long.MAX_VALUE
            ? null
            : (Math.max(first, viewsFull) - start) / 1e6);
    r.put("timeout_ms", plan.formationTimeout().toMillis());
    if (viewsFull == 0) {
      r.put("views", cluster.viewSummary());
    }
    long allToAll = allToAll(cluster, n, t, probes, start + plan.readyTimeout().toNanos());
    r.put("all_to_all_ms", allToAll == 0 ? null : (allToAll - start) / 1e6);
    return r;
  }

  /**
   * Rounds of one broadcast from every node, a round a second, until one round reaches every node
   * or the deadline passes. Returns when that round completed, or 0.
   */
  private long allToAll(BenchCluster cluster, int n, Tracker t, int firstIndex, long deadline)
      throws InterruptedException {
    int next = firstIndex;
    while (System.nanoTime() < deadline && next + n <= FORMATION_MESSAGES) {
      int round = next;
      for (int node = 0; node < n; node++) {
        t.sent(next);
        cluster.broadcast(node, t.payload(next, plan.payloadSize()));
        next++;
      }
      long roundEnd = Math.min(deadline, System.nanoTime() + 1_000_000_000L);
      while (System.nanoTime() < roundEnd) {
        long completed = lastCompletion(t, round, n);
        if (completed != 0) {
          return completed;
        }
        Thread.sleep(1);
      }
    }
    return 0;
  }

  /** When the last of messages {@code first} to {@code first + n - 1} completed, or 0. */
  private static long lastCompletion(Tracker t, int first, int n) {
    long last = 0;
    for (int i = first; i < first + n; i++) {
      long c = t.completedNanos(i);
      if (c == 0) {
        return 0;
      }
      last = Math.max(last, c);
    }
    return last;
  }

  /** Unrecorded traffic so that both systems are measured with their code paths compiled. */
  void warmup(BenchCluster cluster, int n) throws Exception {
    Tracker t = tracker(cluster, all(n), plan.warmupMessages());
    for (int i = 0; i < plan.warmupMessages(); i++) {
      if (!t.acquireSlot(plan.idleTimeout().toMillis())) {
        break;
      }
      t.sent(i);
      cluster.broadcast(i % n, t.payload(i, plan.payloadSize()));
    }
    t.awaitAll(plan.warmupMessages(), plan.idleTimeout().toMillis());
  }

  /**
   * One sender, each message waited for at every node before the next. Stops after {@link
   * #LATENCY_LOST_IN_A_ROW} lost in a row (a cluster that is not whole), the rest counted lost.
   */
  Map<String, Object> latency(BenchCluster cluster, int n) throws Exception {
    Map<String, Object> r = row(cluster, n, "latency");
    Tracker t = tracker(cluster, all(n), plan.latencyMessages());
    Histogram h = new Histogram(60_000_000_000L, 3);
    int lostInARow = 0;
    int sender = 1 % n;
    long slowest = -1;
    int slowestIndex = -1;
    long slowestUptime = -1;
    long slowestGrafts = -1;
    long graftsAtStart = cluster.graftsSent();
    for (int i = 0; i < plan.latencyMessages() && lostInARow < LATENCY_LOST_IN_A_ROW; i++) {
      byte[] p = t.payload(i, plan.payloadSize());
      long graftsBefore = cluster.graftsSent();
      t.sent(i);
      cluster.broadcast(sender, p);
      if (awaitMessage(t, i, 5_000)) {
        long nanos = t.completedNanos(i) - t.sentNanos(i);
        h.recordValue(nanos);
        if (nanos > slowest) {
          slowest = nanos;
          slowestIndex = i;
          slowestUptime = ManagementFactory.getRuntimeMXBean().getUptime();
          slowestGrafts = graftsBefore < 0 ? -1 : cluster.graftsSent() - graftsBefore;
        }
        lostInARow = 0;
      } else {
        lostInARow++;
      }
    }
    long lost = plan.latencyMessages() - h.getTotalCount();
    r.put("messages", plan.latencyMessages());
    r.put("p50_us", h.getValueAtPercentile(50) / 1_000.0);
    r.put("p90_us", h.getValueAtPercentile(90) / 1_000.0);
    r.put("p99_us", h.getValueAtPercentile(99) / 1_000.0);
    r.put("max_us", h.getMaxValue() / 1_000.0);
    // The slowest message (0 is the first), when it completed in JVM uptime (the time stamp of
    // -Xlog:gc) and the grafts sent while it was under way, to tell a collection's pause from a
    // repair of the tree.
    r.put("max_index", slowestIndex);
    r.put("max_uptime_ms", slowestUptime);
    r.put("max_grafts", slowestGrafts);
    r.put("grafts", graftsAtStart < 0 ? -1 : cluster.graftsSent() - graftsAtStart);
    r.put("lost", lost);
    r.put("duplicates", t.duplicates());
    return r;
  }

  /**
   * Waits for message {@code index} itself to complete: an earlier message counted as lost that
   * completes late must not stand in for it.
   */
  private static boolean awaitMessage(Tracker t, int index, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (t.completedNanos(index) == 0) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0 || !t.awaitCompletion(left)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Senders round-robin over all nodes, a bounded number of messages in flight. CPU time and
   * allocation are per delivery: a message delivered at every node, the origin included, counts n.
   */
  Map<String, Object> throughput(BenchCluster cluster, int n) throws Exception {
    Map<String, Object> r = row(cluster, n, "throughput");
    int total = plan.throughputMessages();
    Tracker t = tracker(cluster, all(n), total);
    long missedBefore = cluster.subscriberMissed();
    long lo0 = Loopback.txBytes();
    Thread.sleep(1_000);
    long lo1 = Loopback.txBytes();
    long wire1 = cluster.wireBytesSent();
    ProcessCost cost1 = ProcessCost.sample();
    long start = System.nanoTime();
    int sent = 0;
    for (int i = 0; i < total; i++) {
      if (!t.acquireSlot(plan.idleTimeout().toMillis())) {
        break;
      }
      t.sent(i);
      cluster.broadcast(i % n, t.payload(i, plan.payloadSize()));
      sent++;
    }
    t.awaitAll(sent, plan.idleTimeout().toMillis());
    ProcessCost cost2 = ProcessCost.sample();
    long last = start;
    for (int i = 0; i < total; i++) {
      last = Math.max(last, t.completedNanos(i));
    }
    long lo2 = Loopback.txBytes();
    long wire2 = cluster.wireBytesSent();
    double seconds = (last - start) / 1e9;
    long deliveries = t.deliveries();
    long remoteDeliveries = deliveries - sent;
    r.put("messages", total);
    r.put("sent", sent);
    r.put("window", plan.window());
    r.put("msgs_per_s", seconds > 0 ? t.completed() / seconds : null);
    r.put("seconds", seconds);
    r.put("lost", total - t.completed());
    r.put("duplicates", t.duplicates());
    r.put("subscriber_missed", cluster.subscriberMissed() - missedBefore);
    r.put(
        "wire_bytes_per_delivery",
        wire1 >= 0 && remoteDeliveries > 0 ? (double) (wire2 - wire1) / remoteDeliveries : null);
    long cpuNanos = cost2.cpuNanosSince(cost1);
    long allocated = cost2.allocatedBytesSince(cost1);
    r.put("deliveries", deliveries);
    r.put("cpu_ms", cpuNanos >= 0 ? cpuNanos / 1e6 : null);
    r.put("allocated_bytes", allocated);
    r.put("jvm_threads", cost2.threads());
    if (deliveries > 0) {
      r.put("cpu_us_per_delivery", cpuNanos >= 0 ? cpuNanos / 1e3 / deliveries : null);
      r.put("alloc_bytes_per_delivery", (double) allocated / deliveries);
    }
    if (lo0 >= 0 && remoteDeliveries > 0) {
      r.put("loopback_bytes_per_delivery", (double) (lo2 - lo1) / remoteDeliveries);
      r.put("loopback_background_bytes_per_s", lo1 - lo0);
    }
    return r;
  }

  /** Kill a quarter of the nodes (never node 0), then broadcast from the survivors. */
  Map<String, Object> failure(BenchCluster cluster, int n) throws Exception {
    Map<String, Object> r = row(cluster, n, "failure");
    List<Integer> candidates = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      candidates.add(i);
    }
    Collections.shuffle(candidates, new Random(8));
    List<Integer> victims = candidates.subList(0, n / 4);
    boolean[] alive = all(n);
    for (int v : victims) {
      alive[v] = false;
    }
    List<Integer> survivors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (alive[i]) {
        survivors.add(i);
      }
    }
    int total = plan.failureMessages();
    Tracker t = tracker(cluster, alive, total);
    long killed = System.nanoTime();
    for (int v : victims) {
      cluster.kill(v);
    }
    long paceNanos = plan.failurePace().toNanos();
    for (int i = 0; i < total; i++) {
      long due = killed + i * paceNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      if (!t.acquireSlot(plan.idleTimeout().toMillis())) {
        break;
      }
      t.sent(i);
      cluster.broadcast(survivors.get(i % survivors.size()), t.payload(i, plan.payloadSize()));
    }
    t.awaitAll(total, plan.idleTimeout().toMillis());
    long first = Long.MAX_VALUE;
    for (int i = 0; i < total; i++) {
      long c = t.completedNanos(i);
      if (c != 0) {
        first = Math.min(first, c);
      }
    }
    r.put("killed", victims.size());
    r.put("messages", total);
    r.put("pace_ms", plan.failurePace().toMillis());
    r.put("delivered_fraction", (double) t.deliveries() / ((long) total * survivors.size()));
    r.put("complete_messages", t.completed());
    r.put("kill_to_first_full_ms", first == Long.MAX_VALUE ? null : (first - killed) / 1e6);
    r.put("duplicates", t.duplicates());
    return r;
  }
}
