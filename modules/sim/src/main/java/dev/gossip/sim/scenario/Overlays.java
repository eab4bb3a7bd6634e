package dev.gossip.sim.scenario;

import dev.gossip.sim.engine.Simulation;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** Builds a warmed-up overlay: nodes join one by one through a random earlier node. */
final class Overlays {
  private Overlays() {}

  /** Roles composed as the scenario's {@code composition} says. */
  static Simulation build(Scenario s, Protocol protocol, long seed) {
    return build(s, protocol, seed, s.mailboxes());
  }

  /** As above, with each node's roles in mailboxes when {@code mailboxes} is true. */
  static Simulation build(Scenario s, Protocol protocol, long seed, boolean mailboxes) {
    Simulation sim = new Simulation(protocol.settings(), protocol.network(), seed, mailboxes);
    SplittableRandom contacts = new SplittableRandom(seed * 31 + 7);
    int nodes = s.nodes();
    long step = s.duration(ScenarioKey.JOIN_INTERVAL, "1ms").toNanos();
    sim.addNode();
    for (int i = 1; i < nodes; i++) {
      sim.runFor(step);
      sim.addNode(contact(sim, i, contacts));
    }
    sim.runFor(s.integer(ScenarioKey.WARMUP_CYCLES, 10) * protocol.cycle().toNanos());
    return sim;
  }

  /**
   * A random earlier node that is already in the overlay, as an operator would give a new node the
   * address of a running member (node 0, which starts the overlay, when none is found).
   */
  static int contact(Simulation sim, int below, SplittableRandom random) {
    for (int attempt = 0; attempt < 32; attempt++) {
      int candidate = random.nextInt(below);
      if (!sim.isCrashed(candidate) && sim.firstUpAt(candidate) != Simulation.NEVER) {
        return candidate;
      }
    }
    return 0;
  }

  /** A small distinct payload: the broadcast's number. */
  static byte[] payload(int i) {
    return ByteBuffer.allocate(Integer.BYTES).putInt(i).array();
  }

  /** A random live node. */
  static int randomLive(Simulation sim, SplittableRandom random) {
    int[] live = sim.liveNodes();
    return live[random.nextInt(live.length)];
  }
}
