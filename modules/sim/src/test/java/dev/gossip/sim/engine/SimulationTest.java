package dev.gossip.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.GossipSettings;
import dev.gossip.core.NodeId;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.message.Message;
import dev.gossip.sim.metrics.BroadcastLog;
import dev.gossip.sim.metrics.OverlayGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The engine's network semantics, on a few hundred nodes of the real core. */
class SimulationTest {

  private static final long MILLI = 1_000_000L;
  private static final long SECOND = 1_000 * MILLI;

  private static Simulation overlay(int nodes, long seed) {
    NetworkModel network =
        new NetworkModel(
            new LatencyModel.PerLink(Duration.ofMillis(5), Duration.ofMillis(25), seed),
            0,
            Duration.ofSeconds(1),
            true);
    Simulation sim = new Simulation(GossipSettings.defaults(), network, seed);
    SplittableRandom contacts = new SplittableRandom(seed);
    sim.addNode();
    for (int i = 1; i < nodes; i++) {
      sim.runFor(2 * MILLI);
      sim.addNode(contacts.nextInt(i));
    }
    sim.runFor(30 * SECOND);
    return sim;
  }

  @Test
  void joinedOverlayIsOneSymmetricComponent() {
    OverlayGraph g = OverlayGraph.of(overlay(300, 1));
    assertEquals(1, g.componentSizes().length);
    assertEquals(1.0, g.symmetry());
    assertEquals(0, g.isolatedNodes());
  }

  @Test
  void crashedNodesLeaveEveryActiveViewThroughConnectionResets() {
    Simulation sim = overlay(300, 2);
    for (int i = 0; i < 300; i += 3) {
      sim.crash(i);
    }
    sim.runFor(2 * SECOND);
    assertFalse(activeViewsHoldACrashedNode(sim));
    assertEquals(1, OverlayGraph.of(sim).componentSizes().length);
  }

  @Test
  void silentlyCrashedNodesAreLearntOfOnUseNotByAReset() {
    Simulation sim = overlay(300, 2);
    for (int i = 0; i < 300; i += 3) {
      sim.crashSilently(i);
    }
    // A reset would have reached every peer within the longest latency, 25 ms.
    sim.runFor(30 * MILLI);
    assertTrue(activeViewsHoldACrashedNode(sim));
    // The next heartbeat ping (every second) fails a round trip later, well before the 5 s
    // failure timeout would have dropped anyone.
    sim.runFor(2 * SECOND);
    assertFalse(activeViewsHoldACrashedNode(sim));
    assertEquals(1, OverlayGraph.of(sim).componentSizes().length);
  }

  private static boolean activeViewsHoldACrashedNode(Simulation sim) {
    for (int node : sim.liveNodes()) {
      for (NodeId peer : sim.node(node).membership().activeView()) {
        if (sim.isCrashed(sim.resolve(peer))) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void frozenNodeIsDroppedByHeartbeatAndReturnsAfterThawing() {
    Simulation sim = overlay(200, 3);
    int frozen = 17;
    NodeId id = sim.id(frozen);
    sim.freeze(frozen, 30 * SECOND);
    sim.runFor(15 * SECOND);
    for (int node : sim.liveNodes()) {
      if (node != frozen) {
        assertFalse(sim.node(node).membership().activeView().contains(id));
      }
    }
    sim.runFor(60 * SECOND);
    BroadcastLog log = new BroadcastLog();
    sim.observe(log);
    sim.broadcast(0, new byte[] {1});
    sim.runFor(5 * SECOND);
    assertTrue(log.last().deliveredAt(frozen));
    assertEquals(1.0, BroadcastLog.reliability(log.last(), sim));
  }

  @Test
  void broadcastsReachEveryNodeExactlyOnceDespiteMessageLoss() {
    Simulation sim = overlay(300, 4);
    sim.setLoss(0.01);
    BroadcastLog log = new BroadcastLog();
    sim.observe(log);
    for (int i = 0; i < 20; i++) {
      sim.broadcast(i * 7, new byte[] {(byte) i});
      sim.runFor(200 * MILLI);
    }
    sim.setLoss(0);
    sim.runFor(30 * SECOND);
    for (BroadcastLog.Broadcast b : log.broadcasts()) {
      assertEquals(1.0, BroadcastLog.reliability(b, sim), b.id().toString());
      assertEquals(0, b.duplicateDeliveries());
    }
  }

  @Test
  void jitteredRetransmittingLinksDeliverInSendOrderAndLoseNothing() {
    NetworkModel network =
        new NetworkModel(
            LatencyModel.parse("per-link 10ms 10ms jitter 5ms", 5),
            0,
            Duration.ofSeconds(1),
            true,
            0.2,
            Duration.ofMillis(200),
            Duration.ZERO);
    Simulation sim = new Simulation(GossipSettings.defaults(), network, 5);
    sim.addNode();
    sim.runFor(MILLI);
    sim.addNode(0);
    sim.runFor(SECOND / 2);
    List<long[]> deliveries = new ArrayList<>(); // [sequence, sent at, delivered at]
    long[] sentAt = new long[101];
    sim.observe(
        new Simulation.Observer() {
          @Override
          public void delivered(int node, Delivered d, long now) {
            if (node == 1) {
              long seq = d.id().sequence();
              deliveries.add(new long[] {seq, sentAt[(int) seq], now});
            }
          }

          @Override
          public void received(int node, Message message, long now) {}
        });
    long retransmittedBefore = sim.retransmittedMessages();
    for (int i = 1; i <= 100; i++) {
      sentAt[(int) sim.broadcast(0, new byte[] {(byte) i}).sequence()] = sim.now();
      sim.runFor(MILLI);
    }
    sim.runFor(5 * SECOND);
    assertEquals(100, deliveries.size());
    long late = 0;
    for (int k = 0; k < deliveries.size(); k++) {
      long[] d = deliveries.get(k);
      assertEquals(deliveries.get(0)[0] + k, d[0], "delivered out of send order");
      assertTrue(d[2] - d[1] >= 10 * MILLI, "faster than the link");
      late += d[2] - d[1] >= 200 * MILLI ? 1 : 0;
    }
    assertTrue(sim.retransmittedMessages() > retransmittedBefore);
    assertTrue(late > 1, "a retransmission holds the messages behind it: " + late);
  }
}
