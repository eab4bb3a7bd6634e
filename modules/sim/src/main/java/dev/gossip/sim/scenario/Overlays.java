package dev.gossip.sim.scenario;

import dev.gossip.sim.engine.Simulation;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** Builds a warmed-up overlay: nodes join one by one through a random earlier node. */
final class Overlays {
  private Overlays() {}

  static Simulation build(Scenario s, Protocol protocol, long seed) {
    Simulation sim = new Simulation(protocol.settings(), protocol.network(), seed);
    SplittableRandom contacts = new SplittableRandom(seed * 31 + 7);
    int nodes = s.nodes();
    long step = s.duration("join-interval", "1ms").toNanos();
    sim.addNode();
    for (int i = 1; i < nodes; i++) {
      sim.runFor(step);
      sim.addNode(contacts.nextInt(i));
    }
    sim.runFor(s.integer("warmup-cycles", 10) * protocol.cycle().toNanos());
    return sim;
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
