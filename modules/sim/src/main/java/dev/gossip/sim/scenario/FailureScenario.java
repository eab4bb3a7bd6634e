package dev.gossip.sim.scenario;

import dev.gossip.sim.engine.Simulation;
import dev.gossip.sim.metrics.BroadcastLog;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Massive failure (HyParView paper, section 5.3; Plumtree paper, section 4.4): a warmed-up overlay
 * loses x% of its nodes at once. One run per x gives three figures: the first broadcast right at
 * the failure (Plumtree), the mean reliability of a stream of broadcasts right after it (HyParView
 * Fig. 2), and the membership cycles until a broadcast again reaches every live node within one
 * cycle (HyParView Fig. 4).
 */
final class FailureScenario {
  private FailureScenario() {}

  static void run(Scenario s, long seed, boolean extensions, int percent, Outcome outcome) {
    String series = extensions ? "extensions" : "paper";
    Protocol protocol = Protocol.of(s, extensions, s.integer("optimization-threshold", 7), seed);
    Simulation sim = Overlays.build(s, protocol, seed);
    BroadcastLog log = new BroadcastLog();
    sim.observe(log);
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + percent);
    long cycle = protocol.cycle().toNanos();
    int sent = 0;
    // A settled tree first, as in a network that has been running.
    for (int i = 0; i < s.integer("failure.warm-broadcasts", 10); i++) {
      sim.broadcast(Overlays.randomLive(sim, random), Overlays.payload(sent++));
      sim.runFor(cycle / 10);
    }
    int[] live = sim.liveNodes();
    shuffle(live, random);
    int victims = (int) Math.round(live.length * percent / 100.0);
    for (int i = 0; i < victims; i++) {
      sim.crash(live[i]);
    }
    long failedAt = sim.now();
    int first = log.broadcasts().size();
    int stream = s.integer("failure.broadcasts", 1000);
    long interval = s.duration("failure.broadcast-interval", "10ms").toNanos();
    for (int i = 0; i < stream; i++) {
      sim.broadcast(Overlays.randomLive(sim, random), Overlays.payload(sent++));
      sim.runFor(interval);
    }
    // Healing: probe 0 is the first broadcast; probe k is sent k cycles after the failure.
    int healingCycles = s.integer("failure.healing-cycles", 6);
    List<BroadcastLog.Broadcast> probes = new ArrayList<>();
    probes.add(log.broadcasts().get(first));
    int healedAt = -1;
    for (int k = 0; k <= healingCycles; k++) {
      sim.runUntil(failedAt + (k + 1) * cycle);
      if (healedAt < 0 && BroadcastLog.reliability(probes.get(k), sim) == 1.0) {
        healedAt = k;
      }
      if (k < healingCycles) {
        sim.broadcast(Overlays.randomLive(sim, random), Overlays.payload(sent++));
        probes.add(log.last());
      }
    }
    double sum = 0;
    for (int i = first; i < first + stream; i++) {
      sum += BroadcastLog.reliability(log.broadcasts().get(i), sim);
    }
    String x = Integer.toString(percent);
    outcome.add(
        new Row("hyparview-fig2", series, x, PaperValues.fig2(percent), 100 * sum / stream));
    outcome.add(
        new Row(
            "hyparview-fig4",
            series,
            x,
            PaperValues.fig4(percent),
            healedAt < 0 ? healingCycles + 1 : healedAt));
    outcome.add(
        new Row(
            "plumtree-first-broadcast",
            series,
            x,
            PaperValues.firstBroadcast(percent),
            100 * BroadcastLog.reliability(log.broadcasts().get(first), sim)));
    outcome.countEvents(sim.handledEvents());
  }

  static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
