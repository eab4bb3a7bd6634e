package dev.gossip.sim.scenario;

import dev.gossip.core.NodeId;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.message.Disconnect;
import dev.gossip.core.message.Message;
import dev.gossip.sim.engine.Simulation;
import java.util.SplittableRandom;

/**
 * Formation (beyond the papers; the target: every view full at 32 nodes within 2 s): n nodes join
 * through one contact, and the overlay runs until every node's active view is full,
 * min(active-view-size, n - 1). Reports that time from the last join and the nodes still short when
 * the limit is reached; then the evictions (Disconnects) in the cycles after formation, which a
 * stable overlay should not have; then, after a share of the nodes crash at once, the time until
 * every survivor's view is full again.
 */
final class FormationScenario {
  private FormationScenario() {}

  /** How often the views are checked: the resolution of the times measured. */
  private static final long CHECK_NANOS = 10_000_000;

  static void run(Scenario s, long seed, int nodes, Outcome outcome) {
    Protocol protocol = Protocol.of(s, true, Protocol.NO_OPTIMIZATION, seed);
    Simulation sim = new Simulation(protocol.settings(), protocol.network(), seed, s.mailboxes());
    long step = s.duration(ScenarioKey.JOIN_INTERVAL, "1ms").toNanos();
    sim.addNode();
    for (int i = 1; i < nodes; i++) {
      sim.runFor(step);
      sim.addNode(0);
    }
    long limit = s.duration(ScenarioKey.FORMATION_LIMIT, "120s").toNanos();
    String at = nodes + "-";
    fill(sim, protocol, limit, at + "full-views-s", at + "below-capacity", outcome);

    int[] evictions = new int[1];
    sim.observe(
        new Simulation.Observer() {
          @Override
          public void delivered(int node, Delivered d, long now) {}

          @Override
          public void received(int node, Message message, long now) {
            if (message instanceof Disconnect) {
              evictions[0]++;
            }
          }
        });
    sim.runFor(s.integer(ScenarioKey.FORMATION_STABLE_CYCLES, 6) * protocol.cycle().toNanos());
    outcome.add(new Row("formation", "lan", at + "evictions-after", 0, evictions[0]));

    int[] live = sim.liveNodes();
    FailureScenario.shuffle(live, new SplittableRandom(seed * 131));
    int crashes = live.length * s.integer(ScenarioKey.FORMATION_CRASH_PERCENT, 25) / 100;
    for (int k = 0; k < crashes; k++) {
      sim.crash(live[k]);
    }
    fill(sim, protocol, limit, at + "refill-after-crash-s", at + "below-after-crash", outcome);
    outcome.countEvents(sim.handledEvents());
  }

  /** Runs until every live node's view is full or the limit passes, and reports both. */
  private static void fill(
      Simulation sim,
      Protocol protocol,
      long limit,
      String timeRow,
      String shortRow,
      Outcome outcome) {
    long start = sim.now();
    int capacity = Math.min(protocol.settings().membership().activeViewSize(), sim.liveCount() - 1);
    while (belowCapacity(sim, capacity) > 0 && sim.now() - start < limit) {
      sim.runFor(CHECK_NANOS);
    }
    outcome.add(new Row("formation", "lan", timeRow, Double.NaN, (sim.now() - start) / 1e9));
    outcome.add(new Row("formation", "lan", shortRow, 0, belowCapacity(sim, capacity)));
  }

  /**
   * Live nodes with fewer than {@code capacity} links: live neighbours that have the node in their
   * active view too (not a crashed one, nor one whose acceptance is still on its way).
   */
  private static int belowCapacity(Simulation sim, int capacity) {
    int count = 0;
    for (int node : sim.liveNodes()) {
      int links = 0;
      for (NodeId peer : sim.node(node).membership().activeView()) {
        int index = sim.resolve(peer);
        if (index >= 0
            && !sim.isCrashed(index)
            && sim.node(index).membership().activeView().contains(sim.id(node))) {
          links++;
        }
      }
      if (links < capacity) {
        count++;
      }
    }
    return count;
  }
}
