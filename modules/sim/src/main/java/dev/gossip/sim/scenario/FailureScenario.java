package dev.gossip.sim.scenario;

import dev.gossip.sim.engine.Simulation;
import dev.gossip.sim.metrics.BroadcastLog;
import dev.gossip.sim.metrics.OverlayGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Massive failure (HyParView paper, section 5.3; Plumtree paper, section 4.4): a warmed-up overlay
 * loses x% of its nodes at once. One run per x gives three figures: the first broadcasts right at
 * the failure (Plumtree), the mean reliability of a stream of broadcasts right after it (HyParView
 * Fig. 2), and the membership cycles until a broadcast again reaches every live node within one
 * cycle (HyParView Fig. 4).
 */
final class FailureScenario {
  private FailureScenario() {}

  /**
   * {@code failure.crash}: {@code reset} (the default: a crash resets its TCP links, peers learn of
   * it one latency later) or {@code silent} (peers learn of it on their next send over the link, as
   * in the papers' simulations).
   */
  static boolean silentCrash(Scenario s) {
    return s.text(ScenarioKey.FAILURE_CRASH, "reset").equals("silent");
  }

  static void run(Scenario s, long seed, boolean extensions, int percent, Outcome outcome) {
    String series = extensions ? "extensions" : "paper";
    Protocol protocol =
        Protocol.of(s, extensions, s.integer(ScenarioKey.OPTIMIZATION_THRESHOLD, 7), seed);
    Simulation sim = Overlays.build(s, protocol, seed);
    BroadcastLog log = new BroadcastLog();
    sim.observe(log);
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + percent);
    long cycle = protocol.cycle().toNanos();
    int sent = 0;
    // A settled tree first, as in a network that has been running.
    for (int i = 0; i < s.integer(ScenarioKey.FAILURE_WARM_BROADCASTS, 10); i++) {
      sim.broadcast(Overlays.randomLive(sim, random), Overlays.payload(sent++));
      sim.runFor(cycle / 10);
    }
    int[] live = sim.liveNodes();
    shuffle(live, random);
    int victims = (int) Math.round(live.length * percent / 100.0);
    boolean silently = silentCrash(s);
    for (int i = 0; i < victims; i++) {
      if (silently) {
        sim.crashSilently(live[i]);
      } else {
        sim.crash(live[i]);
      }
    }
    long failedAt = sim.now();
    // The first broadcast after the failure, from several origins at the same instant: one origin
    // alone reaches almost nobody or almost everybody, depending on its neighbours' fate.
    List<BroadcastLog.Broadcast> firsts = new ArrayList<>();
    int[] origins = sim.liveNodes();
    shuffle(origins, random);
    int firstCount = Math.min(origins.length, s.integer(ScenarioKey.FAILURE_FIRST_BROADCASTS, 10));
    for (int i = 0; i < firstCount; i++) {
      sim.broadcast(origins[i], Overlays.payload(sent++));
      firsts.add(log.last());
    }
    // The stream: the first broadcasts count as its first element, then one per interval.
    int stream = s.integer(ScenarioKey.FAILURE_BROADCASTS, 1000);
    long interval = s.duration(ScenarioKey.FAILURE_BROADCAST_INTERVAL, "10ms").toNanos();
    sim.runFor(interval);
    int streamFrom = log.broadcasts().size();
    for (int i = 1; i < stream; i++) {
      sim.broadcast(Overlays.randomLive(sim, random), Overlays.payload(sent++));
      sim.runFor(interval);
    }
    int streamTo = log.broadcasts().size();
    // Healing: probe 0 is the first broadcasts; probe k is sent k cycles after the failure.
    int healingCycles = s.integer(ScenarioKey.FAILURE_HEALING_CYCLES, 6);
    List<List<BroadcastLog.Broadcast>> probes = new ArrayList<>();
    probes.add(firsts);
    int healedAt = -1;
    for (int k = 0; k <= healingCycles; k++) {
      sim.runUntil(failedAt + (k + 1) * cycle);
      if (healedAt < 0 && reliability(probes.get(k), sim) == 1.0) {
        healedAt = k;
      }
      if (k < healingCycles) {
        sim.broadcast(Overlays.randomLive(sim, random), Overlays.payload(sent++));
        probes.add(List.of(log.last()));
      }
    }
    double sum = reliability(firsts, sim);
    for (int i = streamFrom; i < streamTo; i++) {
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
            100 * reliability(firsts, sim)));
    // Why a failure level does not heal: cut-off nodes and overlay components at the end.
    OverlayGraph graph = OverlayGraph.of(sim);
    outcome.add(
        new Row("failure-overlay", series, x + "-components", 1, graph.componentSizes().length));
    outcome.add(new Row("failure-overlay", series, x + "-isolated", 0, graph.isolatedNodes()));
    outcome.countEvents(sim.handledEvents());
  }

  private static double reliability(List<BroadcastLog.Broadcast> broadcasts, Simulation sim) {
    double sum = 0;
    for (BroadcastLog.Broadcast b : broadcasts) {
      sum += BroadcastLog.reliability(b, sim);
    }
    return sum / broadcasts.size();
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
