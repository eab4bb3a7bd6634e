package dev.gossip.sim.scenario;

import dev.gossip.sim.engine.Simulation;
import dev.gossip.sim.metrics.BroadcastLog;
import dev.gossip.sim.metrics.OverlayGraph;
import java.util.SplittableRandom;

/**
 * A network split in two halves (beyond the papers): both sides broadcast while cut off, then the
 * network heals. A short split stays under the heartbeat timeout, so links survive and anti-entropy
 * only has to resend; a long one lasts whole cycles, so every cross link is declared failed.
 */
final class PartitionScenario {
  private PartitionScenario() {}

  static void run(Scenario s, long seed, boolean extensions, String length, Outcome outcome) {
    String series = extensions ? "extensions" : "paper";
    Protocol protocol =
        Protocol.of(s, extensions, s.integer(ScenarioKey.OPTIMIZATION_THRESHOLD, 7), seed);
    Simulation sim = Overlays.build(s, protocol, seed);
    BroadcastLog log = new BroadcastLog();
    sim.observe(log);
    SplittableRandom random = new SplittableRandom(seed * 104_729);
    long cycle = protocol.cycle().toNanos();
    long duration =
        length.equals("short")
            ? s.duration(ScenarioKey.PARTITION_SHORT, "3s").toNanos()
            : s.integer(ScenarioKey.PARTITION_CYCLES, 3) * cycle;
    int[] group = new int[sim.nodeCount()];
    int[] side = {-1, -1};
    for (int i = 0; i < group.length; i++) {
      group[i] = random.nextInt(2);
      if (!sim.isCrashed(i) && side[group[i]] < 0) {
        side[group[i]] = i;
      }
    }
    // Both senders are known everywhere before the split: the core's anti-entropy cannot recover
    // an origin's messages older than the first one a node delivered (see the README).
    int sent = 0;
    sim.broadcast(side[0], Overlays.payload(sent++));
    sim.broadcast(side[1], Overlays.payload(sent++));
    sim.runFor(cycle / 10);
    sim.partition(group);
    long start = sim.now();
    int first = log.broadcasts().size();
    int each = s.integer(ScenarioKey.PARTITION_BROADCASTS_PER_SIDE, 5);
    long interval = duration / (each + 1);
    for (int i = 0; i < each; i++) {
      sim.runFor(interval);
      sim.broadcast(side[0], Overlays.payload(sent++));
      sim.broadcast(side[1], Overlays.payload(sent++));
    }
    int last = log.broadcasts().size();
    sim.runUntil(start + duration);
    sim.heal();
    sim.runFor(s.integer(ScenarioKey.PARTITION_SETTLE_CYCLES, 3) * cycle);
    sim.broadcast(Overlays.randomLive(sim, random), Overlays.payload(sent++));
    sim.runFor(cycle);
    double during = 0;
    for (int i = first; i < last; i++) {
      during += BroadcastLog.reliability(log.broadcasts().get(i), sim);
    }
    outcome.add(
        new Row(
            "partition", series, length + "-during", Double.NaN, 100 * during / (last - first)));
    outcome.add(
        new Row(
            "partition",
            series,
            length + "-after",
            Double.NaN,
            100 * BroadcastLog.reliability(log.last(), sim)));
    outcome.add(
        new Row(
            "partition",
            series,
            length + "-components",
            Double.NaN,
            OverlayGraph.of(sim).componentSizes().length));
    outcome.countEvents(sim.handledEvents());
  }
}
