package dev.gossip.examples.localcluster;

import dev.gossip.examples.Verbosity;
import dev.gossip.pekko.MetricsSnapshot;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Starts N nodes in this JVM, broadcasts from random live nodes at a fixed rate, optionally crashes
 * a fraction of them or splits the cluster in two halves mid-run, and reports how many deliveries
 * reached the survivors, how fast, and at what cost (RMR, LDH).
 */
@Command(
    name = "local-cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Starts N gossip nodes in this JVM (one ActorSystem each, on 127.0.0.1), broadcasts from"
          + " random live nodes at a fixed rate, prints a live progress line and a final summary:"
          + " delivered fraction, latency percentiles, RMR and LDH.",
      "Faults mid-run: --kill crashes a fraction of the nodes, --split cuts the cluster in two"
          + " halves and heals it; watch delivery recover.",
      "Exit status 0 when every surviving node delivered every broadcast, 1 otherwise."
    })
public final class LocalClusterCommand implements Callable<Integer> {

  @Option(
      names = {"-n", "--nodes"},
      paramLabel = "N",
      defaultValue = "16",
      description = "Nodes to start. Default: ${DEFAULT-VALUE}.")
  int nodes;

  @Option(
      names = {"-r", "--rate"},
      paramLabel = "PER_SECOND",
      defaultValue = "20",
      description =
          "Broadcasts per second, each from a random live node. Default: ${DEFAULT-VALUE}.")
  int rate;

  @Option(
      names = {"-d", "--duration"},
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "How long to broadcast. Default: ${DEFAULT-VALUE}.")
  int duration;

  @Option(
      names = {"-s", "--size"},
      paramLabel = "BYTES",
      defaultValue = "256",
      description = "Payload size of each broadcast (at least 8). Default: ${DEFAULT-VALUE}.")
  int size;

  @Option(
      names = "--kill",
      paramLabel = "FRACTION",
      defaultValue = "0",
      description =
          "Crash this fraction of the nodes (0..0.9) at --fault-at; their ActorSystems terminate"
              + " and their sockets close. Default: ${DEFAULT-VALUE}.")
  double kill;

  @Option(
      names = "--split",
      description =
          "Cut the cluster in two halves at --fault-at and heal it --heal-after seconds later:"
              + " gossip-pekko's link fault injection drops every frame and refuses every"
              + " connection between the halves.")
  boolean split;

  @Option(
      names = "--fault-at",
      paramLabel = "SECONDS",
      description =
          "When --kill or --split strikes, in seconds from the first broadcast. Default: half of --duration.")
  Double faultAt;

  @Option(
      names = "--heal-after",
      paramLabel = "SECONDS",
      defaultValue = "3",
      description = "How long a --split lasts. Default: ${DEFAULT-VALUE}.")
  double healAfter;

  @Option(
      names = "--settle",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "After the last broadcast, wait at most this long for every survivor to deliver every"
              + " broadcast before the summary. Default: ${DEFAULT-VALUE}.")
  int settle;

  @Option(
      names = "--preset",
      paramLabel = "PRESET",
      defaultValue = "local",
      description =
          "Timing preset from gossip-pekko's reference.conf: local (fast failure detection for"
              + " one machine), lan or wan. Default: ${DEFAULT-VALUE}.")
  String preset;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      defaultValue = "1",
      description =
          "Seed for the choice of senders and of the nodes to kill. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--at-once",
      description =
          "Start broadcasting as soon as every node has joined. By default the broadcasts start"
              + " once every active view is full, or after 10 s; at once, the first broadcasts run"
              + " while the overlay still rearranges its links (a longer latency tail).")
  boolean atOnce;

  /** The longest wait for the views to fill before broadcasting anyway. */
  private static final Duration VIEWS_LIMIT = Duration.ofSeconds(10);

  @Mixin Verbosity verbosity;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    validate();
    verbosity.apply();
    PrintWriter out = spec.commandLine().getOut();
    boolean live = System.console() != null;
    int total = rate * duration;
    Tally tally = new Tally(nodes, total);
    Random random = new Random(seed);
    out.printf(Locale.ROOT, "starting %d nodes (preset %s) ...%n", nodes, preset);
    out.flush();
    long startNanos = System.nanoTime();
    try (Cluster cluster = new Cluster(nodes, preset, split, verbosity.verbose(), tally)) {
      cluster.join();
      long joinedNanos = System.nanoTime();
      out.printf(
          Locale.ROOT,
          "%d nodes joined through %s in %.1f s; ",
          nodes,
          cluster.node(0).address(),
          (joinedNanos - startNanos) / 1e9);
      if (!atOnce) {
        String full =
            cluster.everyViewCanFill()
                ? "every active view full"
                : "every active view full but one, a link short,";
        out.printf(
            Locale.ROOT,
            cluster.awaitFullViews(VIEWS_LIMIT)
                ? full + " %.1f s later; "
                : "views still short after %.1f s; ",
            (System.nanoTime() - joinedNanos) / 1e9);
      }
      out.printf(Locale.ROOT, "broadcasting %d x %d bytes at %d/s%n", total, size, rate);
      out.flush();
      Run run = new Run(cluster, tally, random, total, out, live);
      run.execute();
      return summary(cluster, tally, run, out) ? 0 : 1;
    }
  }

  private void validate() {
    if (nodes < 2) {
      throw new ParameterException(spec.commandLine(), "--nodes must be at least 2");
    }
    if (rate < 1 || duration < 1) {
      throw new ParameterException(spec.commandLine(), "--rate and --duration must be positive");
    }
    if (size < 8) {
      throw new ParameterException(spec.commandLine(), "--size must be at least 8 bytes");
    }
    if (kill < 0 || kill > 0.9) {
      throw new ParameterException(spec.commandLine(), "--kill must be in 0..0.9");
    }
    if (faultAt != null && (faultAt < 0 || faultAt > duration)) {
      throw new ParameterException(spec.commandLine(), "--fault-at must be within --duration");
    }
  }

  /** The broadcasting, the faults and the progress line, all on one scheduler thread. */
  private final class Run {
    final Cluster cluster;
    final Tally tally;
    final Random random;
    final int total;
    final PrintWriter out;
    final boolean live;
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final Set<Integer> refused = ConcurrentHashMap.newKeySet();
    final CountDownLatch settled = new CountDownLatch(1);
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    long firstNanos;
    volatile long lastSendNanos;
    volatile long settledNanos;

    Run(Cluster cluster, Tally tally, Random random, int total, PrintWriter out, boolean live) {
      this.cluster = cluster;
      this.tally = tally;
      this.random = random;
      this.total = total;
      this.out = out;
      this.live = live;
    }

    void execute() throws InterruptedException {
      ScheduledExecutorService scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "local-cluster");
                t.setDaemon(true);
                return t;
              });
      try {
        firstNanos = System.nanoTime();
        long periodNanos = 1_000_000_000L / rate;
        scheduler.scheduleAtFixedRate(this::broadcastOne, 0, periodNanos, TimeUnit.NANOSECONDS);
        long fault = Math.round((faultAt != null ? faultAt : duration / 2.0) * 1000);
        if (kill > 0) {
          scheduler.schedule(this::killSome, fault, TimeUnit.MILLISECONDS);
        }
        if (split) {
          scheduler.schedule(this::split, fault, TimeUnit.MILLISECONDS);
          scheduler.schedule(
              this::heal, fault + Math.round(healAfter * 1000), TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleAtFixedRate(
            this::progress, 250, live ? 250 : 1000, TimeUnit.MILLISECONDS);
        long budget = duration * 1000L + Math.round(healAfter * 1000) + settle * 1000L + 1000;
        settled.await(budget, TimeUnit.MILLISECONDS);
      } finally {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      }
      if (live) {
        progressLine(true);
      }
    }

    private void broadcastOne() {
      int seq = sent.get();
      if (seq >= total) {
        return;
      }
      List<Integer> candidates = aliveNodes();
      int origin = candidates.get(random.nextInt(candidates.size()));
      tally.sent(seq, origin, System.nanoTime());
      sent.incrementAndGet();
      lastSendNanos = System.nanoTime();
      cluster
          .node(origin)
          .gossip()
          .broadcast(Tally.payload(seq, size))
          .whenComplete(
              (id, error) -> {
                if (error != null) {
                  failed.incrementAndGet();
                  refused.add(seq);
                }
              });
    }

    private void killSome() {
      List<Integer> candidates = aliveNodes();
      Collections.shuffle(candidates, random);
      int count = (int) Math.round(kill * nodes);
      List<Integer> victims = candidates.subList(0, Math.min(count, candidates.size() - 1));
      for (int i : victims) {
        cluster.kill(i);
      }
      event("killed " + victims.size() + " nodes " + victims.stream().sorted().toList());
    }

    private void split() {
      cluster.split();
      event(
          "split: nodes 0.."
              + ((nodes + 1) / 2 - 1)
              + " | "
              + (nodes + 1) / 2
              + ".."
              + (nodes - 1));
    }

    private void heal() {
      cluster.heal();
      event("healed the split");
    }

    private void event(String what) {
      String line = String.format(Locale.ROOT, "%5.1f s  %s", seconds(), what);
      events.add(line);
      if (live) {
        out.print("\r\033[K");
      }
      out.println(line);
      out.flush();
    }

    private void progress() {
      progressLine(false);
      if (sent.get() >= total
          && !cluster.isSplit()
          && deliveredFraction() >= 1.0
          && settledNanos == 0) {
        settledNanos = System.nanoTime();
        settled.countDown();
      }
    }

    private void progressLine(boolean last) {
      int active = 0;
      int minActive = Integer.MAX_VALUE;
      for (int i : aliveNodes()) {
        int a = cluster.metrics(i).activeViewSize();
        active += a;
        minActive = Math.min(minActive, a);
      }
      String line =
          String.format(
              Locale.ROOT,
              "%5.1f s  sent %d/%d  delivered %6.2f %%  alive %d/%d  active view min %d avg %.1f%s",
              seconds(),
              sent.get(),
              total,
              100 * deliveredFraction(),
              cluster.aliveCount(),
              nodes,
              minActive,
              (double) active / cluster.aliveCount(),
              cluster.isSplit() ? "  [split]" : "");
      if (live && !last) {
        out.print("\r\033[K" + line);
      } else if (live) {
        out.println("\r\033[K" + line);
      } else {
        out.println(line);
      }
      out.flush();
    }

    /** Deliveries at live nodes of what was broadcast, over what should have been. */
    double deliveredFraction() {
      long[] counts = deliveries();
      return counts[1] == 0 ? 1.0 : (double) counts[0] / counts[1];
    }

    /**
     * Deliveries at the survivors and how many there should be: every survivor delivers every
     * broadcast, except those whose origin crashed before any survivor had it (no protocol can
     * deliver those; they are counted as lost with their origin).
     */
    long[] deliveries() {
      int s = sent.get();
      List<Integer> survivors = aliveNodes();
      long got = 0;
      long expected = 0;
      long lostWithOrigin = 0;
      for (int seq = 0; seq < s; seq++) {
        if (refused.contains(seq)) {
          continue;
        }
        int reached = 0;
        for (int i : survivors) {
          reached += tally.hasDelivered(i, seq) ? 1 : 0;
        }
        if (reached == 0 && !cluster.alive(tally.origin(seq))) {
          lostWithOrigin++;
        } else {
          got += reached;
          expected += survivors.size();
        }
      }
      return new long[] {got, expected, lostWithOrigin};
    }

    List<Integer> aliveNodes() {
      List<Integer> ids = new ArrayList<>();
      for (int i = 0; i < cluster.size(); i++) {
        if (cluster.alive(i)) {
          ids.add(i);
        }
      }
      return ids;
    }

    double seconds() {
      return (System.nanoTime() - firstNanos) / 1e9;
    }
  }

  /** Prints the summary; true when every survivor delivered every broadcast. */
  private boolean summary(Cluster cluster, Tally tally, Run run, PrintWriter out) {
    int sent = run.sent.get();
    int ok = sent - run.failed.get();
    List<Integer> survivors = run.aliveNodes();
    long[] counts = run.deliveries();
    long got = counts[0];
    long expected = counts[1];
    long duplicates = 0;
    long firstReceipts = 0;
    for (int i = 0; i < cluster.size(); i++) {
      MetricsSnapshot m = cluster.metrics(i);
      duplicates += m.duplicates();
      firstReceipts += m.delivered();
    }
    // Deliveries at the origin (hops 0) are not receipts over the network.
    firstReceipts -= ok;
    double ldhMean = 0;
    int ldhMax = 0;
    for (int seq = 0; seq < sent; seq++) {
      ldhMean += tally.maxHops(seq);
      ldhMax = Math.max(ldhMax, tally.maxHops(seq));
    }
    ldhMean = sent == 0 ? 0 : ldhMean / sent;
    Histogram latency = tally.latencies();
    boolean complete = got == expected;
    out.println();
    out.println("summary");
    out.printf(
        Locale.ROOT, "  nodes        %d started, %d survived%n", cluster.size(), survivors.size());
    for (String e : run.events) {
      out.println("  fault        " + e.strip());
    }
    out.printf(
        Locale.ROOT,
        "  broadcasts   %d of %d bytes at %d/s%s%n",
        ok,
        size,
        rate,
        (run.failed.get() > 0 ? " (" + run.failed.get() + " refused)" : "")
            + (counts[2] > 0
                ? "; "
                    + counts[2]
                    + " lost with their origin (it crashed before any survivor had them)"
                : ""));
    out.printf(
        Locale.ROOT,
        "  delivered    %.2f %% (%d of %d deliveries to the survivors)%s%n",
        expected == 0 ? 100.0 : 100.0 * got / expected,
        got,
        expected,
        run.settledNanos != 0
            ? String.format(
                Locale.ROOT,
                ", complete %.1f s after the last broadcast",
                Math.max(0, run.settledNanos - run.lastSendNanos) / 1e9)
            : ", incomplete after --settle " + settle + " s");
    out.printf(
        Locale.ROOT,
        "  latency      p50 %s  p90 %s  p99 %s  max %s  (send to delivery, %d deliveries away"
            + " from the origin)%n",
        millis(latency.getValueAtPercentile(50)),
        millis(latency.getValueAtPercentile(90)),
        millis(latency.getValueAtPercentile(99)),
        millis(latency.getMaxValue()),
        latency.getTotalCount());
    out.printf(
        Locale.ROOT,
        "  RMR          %.3f  (duplicate Gossip per first receipt over the run; 0 is a perfect"
            + " tree)%n",
        firstReceipts <= 0 ? 0.0 : (double) duplicates / firstReceipts);
    out.printf(
        Locale.ROOT,
        "  LDH          %.2f mean, %d max  (hops of the last delivery of each broadcast)%n",
        ldhMean,
        ldhMax);
    out.flush();
    return complete;
  }

  private static String millis(long micros) {
    return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }
}
