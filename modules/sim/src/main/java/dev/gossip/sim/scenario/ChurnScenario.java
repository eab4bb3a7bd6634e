package dev.gossip.sim.scenario;

import dev.gossip.sim.engine.Simulation;
import dev.gossip.sim.metrics.BroadcastLog;
import java.util.SplittableRandom;

/**
 * Churn (Plumtree paper, section 4.5): every membership cycle n random nodes crash and n new nodes
 * join through random live nodes, while one sender broadcasts once per cycle, mid-cycle, or m times
 * per cycle, evenly spaced ({@code churn.broadcasts-per-cycle}). The links a cycle's changes create
 * start eager and carry duplicates until the first broadcast after them prunes them, so the RMR
 * depends on how many broadcasts share a cycle's changes: with m above 1 the first broadcast after
 * the changes and the others are reported apart as well.
 */
final class ChurnScenario {
  private ChurnScenario() {}

  static void run(Scenario s, long seed, boolean optimised, Outcome outcome) {
    int threshold =
        optimised ? s.integer(ScenarioKey.OPTIMISED_THRESHOLD, 3) : Protocol.NO_OPTIMIZATION;
    String series = optimised ? "optimised" : "plain";
    Protocol protocol = Protocol.of(s, false, threshold, seed);
    Simulation sim = Overlays.build(s, protocol, seed);
    BroadcastLog log = new BroadcastLog();
    sim.observe(log);
    SplittableRandom random = new SplittableRandom(seed * 7919);
    int sender = Overlays.randomLive(sim, random);
    long cycle = protocol.cycle().toNanos();
    int sent = 0;
    for (int i = 0; i < 5; i++) {
      sim.broadcast(sender, Overlays.payload(sent++));
      sim.runFor(cycle / 5);
    }
    int first = log.broadcasts().size();
    int perCycle = s.integer(ScenarioKey.CHURN_PER_CYCLE, 50);
    int cycles = s.integer(ScenarioKey.CHURN_CYCLES, 20);
    int perCycleBroadcasts = s.integer(ScenarioKey.CHURN_BROADCASTS_PER_CYCLE, 1);
    double[] rmrAfterChanges = new double[2];
    for (int c = 0; c < cycles; c++) {
      long start = sim.now();
      int[] live = sim.liveNodes();
      FailureScenario.shuffle(live, random);
      int crashed = 0;
      for (int k = 0; k < live.length && crashed < perCycle; k++) {
        if (live[k] != sender) {
          sim.crash(live[k]);
          crashed++;
        }
      }
      for (int k = 0; k < perCycle; k++) {
        sim.addNode(Overlays.randomLive(sim, random));
      }
      for (int k = 0; k < perCycleBroadcasts; k++) {
        sim.runUntil(start + (2 * k + 1) * cycle / (2 * perCycleBroadcasts));
        sim.broadcast(sender, Overlays.payload(sent++));
      }
      sim.runUntil(start + cycle);
    }
    double reliability = 0;
    double rmr = 0;
    int n = log.broadcasts().size() - first;
    for (int i = first; i < log.broadcasts().size(); i++) {
      BroadcastLog.Broadcast b = log.broadcasts().get(i);
      reliability += BroadcastLog.reliability(b, sim);
      rmr += b.relativeMessageRedundancy();
      rmrAfterChanges[(i - first) % perCycleBroadcasts == 0 ? 0 : 1] +=
          b.relativeMessageRedundancy();
    }
    outcome.add(
        new Row(
            "plumtree-churn",
            series,
            "reliability",
            PaperValues.CHURN_RELIABILITY,
            100 * reliability / n));
    outcome.add(
        new Row(
            "plumtree-churn",
            series,
            "rmr",
            optimised ? PaperValues.CHURN_RMR_OPTIMIZED : PaperValues.CHURN_RMR,
            rmr / n));
    if (perCycleBroadcasts > 1) {
      outcome.add(
          new Row(
              "plumtree-churn",
              series,
              "rmr-first-after-changes",
              Double.NaN,
              rmrAfterChanges[0] / cycles));
      outcome.add(
          new Row(
              "plumtree-churn",
              series,
              "rmr-others",
              Double.NaN,
              rmrAfterChanges[1] / (n - cycles)));
    }
    outcome.countEvents(sim.handledEvents());
  }
}
