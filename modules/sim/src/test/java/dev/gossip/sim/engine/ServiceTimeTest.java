package dev.gossip.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gossip.core.GossipSettings;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Message;
import dev.gossip.core.message.Ping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Busy nodes on a few nodes of the real core, 10 ms links: exact handling and departure times. */
class ServiceTimeTest {

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;

  /** Every time an event of interest happened, per node. */
  private static final class Times implements Simulation.Observer {
    final List<List<Long>> delivered = new ArrayList<>();
    final List<List<Long>> gossip = new ArrayList<>();
    final List<List<long[]>> pings = new ArrayList<>(); // [received at, sent at]

    Times(int nodes) {
      for (int i = 0; i < nodes; i++) {
        delivered.add(new ArrayList<>());
        gossip.add(new ArrayList<>());
        pings.add(new ArrayList<>());
      }
    }

    @Override
    public void delivered(int node, Delivered delivery, long now) {
      if (delivery.hops() > 0) {
        delivered.get(node).add(now);
      }
    }

    @Override
    public void received(int node, Message message, long now) {
      if (message instanceof Gossip) {
        gossip.get(node).add(now);
      } else if (message instanceof Ping p) {
        pings.get(node).add(new long[] {now, p.sentAt()});
      }
    }
  }

  /** Nodes 1 ms apart, each joining through node 0, on 10 ms links; runs until {@code until}. */
  private static Simulation network(int nodes, Duration serviceTime, long until) {
    NetworkModel model =
        new NetworkModel(
            new LatencyModel.Constant(Duration.ofMillis(10)),
            0,
            Duration.ofSeconds(1),
            true,
            0,
            NetworkModel.LINUX_MIN_RTO,
            serviceTime);
    Simulation sim = new Simulation(GossipSettings.defaults(), model, 1);
    sim.addNode();
    for (int i = 1; i < nodes; i++) {
      sim.runFor(MS);
      sim.addNode(0);
    }
    sim.runUntil(until);
    return sim;
  }

  @Test
  void aMessageThatReachesABusyNodeWaitsAndWhatItCausesLeavesLater() {
    // Between heartbeat rounds (every second from each node's start): nothing else in flight.
    long t = 3 * SECOND + 500 * MS;
    Simulation sim = network(3, Duration.ofMillis(1), t);
    Times times = new Times(3);
    sim.observe(times);
    // Both leave their origins at t + 1 ms and reach node 1 together, at t + 11 ms.
    sim.broadcast(0, new byte[] {0});
    sim.broadcast(2, new byte[] {2});
    sim.runFor(SECOND / 4);
    // Node 1 handles the first 11-12 ms, the second waits until 12 ms and ends at 13 ms.
    assertEquals(List.of(t + 12 * MS, t + 13 * MS), times.delivered.get(1));
    // Node 0 gets 2's broadcast directly (11 ms), then node 1's push of it, which left node 1
    // when that handling ended (13 ms).
    assertEquals(List.of(t + 11 * MS, t + 23 * MS), times.gossip.get(0));
  }

  @Test
  void aTimerThatFiresWhileItsNodeIsBusyWaitsForTheHandling() {
    assertEquals(3 * SECOND + MS, pingSentByNode1(Duration.ZERO));
    // The tick at 3.001 s finds node 1 busy with a Gossip from 3.0005 s to 3.0015 s.
    assertEquals(3 * SECOND + 3 * MS / 2, pingSentByNode1(Duration.ofMillis(1)));
  }

  /**
   * When node 1 handled its heartbeat tick due at 3.001 s (it ticks every second from its start at
   * 1 ms), a Gossip from node 0 having reached it half a millisecond before.
   */
  private static long pingSentByNode1(Duration serviceTime) {
    long service = serviceTime.toNanos();
    Simulation sim = network(2, serviceTime, 3 * SECOND + MS / 2 - 10 * MS - service);
    Times times = new Times(2);
    sim.observe(times);
    sim.broadcast(0, new byte[] {0});
    sim.runUntil(3 * SECOND + 100 * MS);
    long[] ping = times.pings.get(0).get(0);
    // A timer's handling costs nothing: the Ping leaves when it starts.
    assertEquals(ping[1] + 10 * MS, ping[0], "received one latency after it left");
    return ping[1];
  }
}
