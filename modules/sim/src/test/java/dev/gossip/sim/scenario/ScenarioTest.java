package dev.gossip.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.GossipSettings;
import dev.gossip.core.recovery.RecoverySettings;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ScenarioTest {

  private static List<Long> seeds(String value) {
    return new Scenario("s", new Properties()).with("seeds", value).seeds();
  }

  @Test
  void aCountMeansOneToN() {
    assertEquals(List.of(1L, 2L, 3L), seeds("3"));
    assertEquals(List.of(1L), new Scenario("s", new Properties()).seeds());
  }

  @Test
  void aCommaMakesAListEvenOfOne() {
    assertEquals(List.of(7L), seeds("7,"));
    assertEquals(List.of(3L, 7L), seeds(" 3, 7 "));
  }

  @Test
  void theCompositionIsSynchronousUnlessMailboxesAndNothingElse() {
    Scenario s = new Scenario("s", new Properties());
    assertFalse(s.mailboxes());
    assertTrue(s.with("composition", "mailboxes").mailboxes());
    assertFalse(s.with("composition", "synchronous").mailboxes());
    assertThrows(ScenarioException.class, () -> s.with("composition", "actors"));
  }

  @Test
  void noSeedIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> seeds(","));
    assertThrows(IllegalArgumentException.class, () -> seeds("0"));
    assertThrows(ScenarioException.class, () -> seeds("seven"));
  }

  @Test
  void theTimerKeysReachTheCoresSettings() {
    Scenario s =
        new Scenario("s", new Properties())
            .with("kind", "multi-sender")
            .with("ihave-interval", "50ms")
            .with("max-ihave-interval", "200ms")
            .with("multi.graft-timeout", "500ms")
            .with("multi.second-graft-timeout", "250ms")
            .with("multi.max-graft-timeout", "off");
    GossipSettings core = Protocol.of(s, true, 3, 1).settings();
    assertEquals(Duration.ofMillis(50), core.dissemination().ihaveInterval());
    assertEquals(Duration.ofMillis(200), core.dissemination().maxIHaveInterval());
    // The paper's series batch for a fixed interval.
    assertEquals(
        Duration.ofMillis(50),
        Protocol.of(s, false, 3, 1).settings().dissemination().maxIHaveInterval());
    RecoverySettings r = MultiSenderScenario.graftTimers(s, core.recovery());
    assertEquals(Duration.ofMillis(500), r.graftTimeout());
    assertEquals(Duration.ofMillis(250), r.secondGraftTimeout());
    assertEquals(Duration.ofMillis(500), r.maxGraftTimeout());
    // off fixes both timers: the bound is the longer one, as gossip-pekko reads it.
    RecoverySettings longerSecond =
        MultiSenderScenario.graftTimers(
            s.with("multi.graft-timeout", "30ms").with("multi.second-graft-timeout", "100ms"),
            core.recovery());
    assertEquals(Duration.ofMillis(100), longerSecond.maxGraftTimeout());
    RecoverySettings defaults = RecoverySettings.defaults();
    assertEquals(
        defaults,
        MultiSenderScenario.graftTimers(
            new Scenario("s", new Properties()).with("kind", "multi-sender"), defaults));
  }
}
