package dev.gossip.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gossip.sim.engine.Simulation;
import dev.gossip.sim.metrics.OverlayGraph;
import java.util.Properties;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 2,000 nodes, 95 % of them crash at once: the 100 survivors, with the core's extensions, must form
 * one overlay again within six membership cycles. The seeds are ones where a few survivors whose
 * other neighbours and passive members had all died ended linked only to each other: pairs (5 and
 * 8, synchronous), two triangles (62, synchronous), a 4-clique (5, mailboxes) and a triangle (23,
 * mailboxes).
 */
class MassiveFailureTest {

  @ParameterizedTest
  @ValueSource(longs = {5, 8, 62})
  void survivorsOfNinetyFivePercentFailingFormOneOverlay(long seed) {
    assertOneOverlayAfterNinetyFivePercentFail(seed, false);
  }

  @ParameterizedTest
  @ValueSource(longs = {5, 23})
  void survivorsFormOneOverlayWithTheRolesInMailboxes(long seed) {
    assertOneOverlayAfterNinetyFivePercentFail(seed, true);
  }

  private static void assertOneOverlayAfterNinetyFivePercentFail(long seed, boolean mailboxes) {
    Properties p = new Properties();
    p.setProperty("nodes", "2000");
    p.setProperty("heartbeat-interval", "10s");
    p.setProperty("heartbeat-timeout", "30s");
    Scenario s = new Scenario("massive-failure", p);
    Protocol protocol = Protocol.of(s, true, 7, seed);
    Simulation sim = Overlays.build(s, protocol, seed, mailboxes);
    int[] live = sim.liveNodes();
    FailureScenario.shuffle(live, new SplittableRandom(seed * 1_000_003L + 95));
    for (int i = 0; i < live.length * 95 / 100; i++) {
      sim.crash(live[i]);
    }

    sim.runFor(6 * protocol.cycle().toNanos());

    OverlayGraph graph = OverlayGraph.of(sim);
    assertArrayEquals(new int[] {100}, graph.componentSizes());
    assertEquals(0, graph.isolatedNodes());
  }
}
