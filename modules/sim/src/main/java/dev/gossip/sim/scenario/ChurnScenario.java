package dev.gossip.sim.scenario;

import dev.gossip.sim.engine.Simulation;
import dev.gossip.sim.metrics.BroadcastLog;
import java.util.SplittableRandom;

/**
 * Churn (Plumtree paper, section 4.5): every membership cycle n random nodes crash and n new nodes
 * join through random live nodes, while one sender broadcasts once per cycle, mid-cycle.
 */
final class ChurnScenario {
  private ChurnScenario() {}

  static void run(Scenario s, long seed, boolean optimised, Outcome outcome) {
    int threshold = optimised ? s.integer("optimised.threshold", 3) : Protocol.NO_OPTIMIZATION;
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
    int perCycle = s.integer("churn.per-cycle", 50);
    int cycles = s.integer("churn.cycles", 20);
    for (int c = 0; c < cycles; c++) {
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
      sim.runFor(cycle / 2);
      sim.broadcast(sender, Overlays.payload(sent++));
      sim.runFor(cycle - cycle / 2);
    }
    double reliability = 0;
    double rmr = 0;
    int n = log.broadcasts().size() - first;
    for (int i = first; i < log.broadcasts().size(); i++) {
      BroadcastLog.Broadcast b = log.broadcasts().get(i);
      reliability += BroadcastLog.reliability(b, sim);
      rmr += b.relativeMessageRedundancy();
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
    outcome.countEvents(sim.handledEvents());
  }
}
