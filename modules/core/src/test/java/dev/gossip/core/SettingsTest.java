package dev.gossip.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.dissemination.PlumtreeSettings;
import dev.gossip.core.heartbeat.HeartbeatSettings;
import dev.gossip.core.membership.MembershipSettings;
import dev.gossip.core.recovery.RecoverySettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SettingsTest {

  private static void assertRejected(String key, Executable construction) {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, construction);
    assertEquals(key, e.key());
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  @Test
  void membershipDefaultsAreThePapers() {
    MembershipSettings m = MembershipSettings.defaults();
    assertEquals(5, m.activeViewSize());
    assertEquals(30, m.passiveViewSize());
    assertEquals(6, m.activeRandomWalkLength());
    assertEquals(3, m.passiveRandomWalkLength());
    assertEquals(3, m.shuffleActiveCount());
    assertEquals(4, m.shufflePassiveCount());
    assertEquals(8, m.maxShuffleNodes());
  }

  @Test
  void defaultsAreValidTogether() {
    GossipSettings.defaults();
  }

  @Test
  void membershipSettingsNameTheBadKey() {
    MembershipSettings d = MembershipSettings.defaults();
    assertRejected(
        "membership.active-view-size",
        () ->
            new MembershipSettings(
                0,
                30,
                6,
                3,
                3,
                4,
                d.shuffleInterval(),
                d.neighborRequestTimeout(),
                d.rejoinBackoffMin(),
                d.rejoinBackoffMax(),
                d.suspectRetention()));
    assertRejected(
        "membership.passive-random-walk-length",
        () ->
            new MembershipSettings(
                5,
                30,
                2,
                3,
                3,
                4,
                d.shuffleInterval(),
                d.neighborRequestTimeout(),
                d.rejoinBackoffMin(),
                d.rejoinBackoffMax(),
                d.suspectRetention()));
    assertRejected(
        "membership.shuffle-interval",
        () ->
            new MembershipSettings(
                5,
                30,
                6,
                3,
                3,
                4,
                Duration.ZERO,
                d.neighborRequestTimeout(),
                d.rejoinBackoffMin(),
                d.rejoinBackoffMax(),
                d.suspectRetention()));
    assertRejected(
        "membership.rejoin-backoff-max",
        () ->
            new MembershipSettings(
                5,
                30,
                6,
                3,
                3,
                4,
                d.shuffleInterval(),
                d.neighborRequestTimeout(),
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                d.suspectRetention()));
  }

  @Test
  void disseminationSettingsNameTheBadKey() {
    PlumtreeSettings d = PlumtreeSettings.defaults();
    assertRejected(
        "dissemination.max-ihave-batch",
        () -> batching(d.ihaveInterval(), d.maxIHaveInterval(), 0));
    assertRejected(
        "dissemination.ihave-interval",
        () -> batching(Duration.ofMillis(-1), d.maxIHaveInterval(), d.maxIHaveBatch()));
    assertRejected(
        "dissemination.max-ihave-interval",
        () -> batching(d.ihaveInterval(), Duration.ZERO, d.maxIHaveBatch()));
  }

  /** The default dissemination settings but for the IHave batching. */
  private static PlumtreeSettings batching(Duration least, Duration most, int maxBatch) {
    PlumtreeSettings d = PlumtreeSettings.defaults();
    return new PlumtreeSettings(
        least,
        most,
        maxBatch,
        d.optimizationThreshold(),
        d.seenCapacity(),
        d.seenRetention(),
        d.cacheCapacity(),
        d.cacheBytes(),
        d.cacheRetention());
  }

  /** The default recovery settings but for the two given. */
  private static RecoverySettings recovery(Duration maxGraftTimeout, int maxResendPerDigest) {
    RecoverySettings d = RecoverySettings.defaults();
    return new RecoverySettings(
        d.graftTimeout(),
        d.secondGraftTimeout(),
        maxGraftTimeout,
        d.maxMissing(),
        d.maxAnnouncers(),
        d.antiEntropyInterval(),
        d.historyCapacity(),
        d.historyBytes(),
        d.historyRetention(),
        d.maxOrigins(),
        d.maxGapsPerOrigin(),
        maxResendPerDigest);
  }

  @Test
  void recoverySettingsNameTheBadKey() {
    assertRejected("recovery.max-resend-per-digest", () -> recovery(Duration.ofSeconds(2), 0));
  }

  @Test
  void maxGraftTimeoutMustCoverBothGraftTimeouts() {
    // The default graft-timeout is 80 ms.
    assertRejected("recovery.max-graft-timeout", () -> recovery(Duration.ofMillis(79), 256));
  }

  @Test
  void historyRetentionMustOutlastMaxGraftTimeout() {
    // Anti-entropy leaves messages younger than max-graft-timeout to the tree: with a retention
    // no longer than that it would never resend anything. The default retention is 2 min.
    assertRejected("recovery.history-retention", () -> recovery(Duration.ofMinutes(2), 256));
  }

  @Test
  void heartbeatTimeoutMustExceedThePingInterval() {
    assertRejected(
        "heartbeat.failure-timeout",
        () -> new HeartbeatSettings(Duration.ofSeconds(2), Duration.ofSeconds(2)));
  }

  @Test
  void seenIdsMustOutliveTheRecoveryHistorySoAResendIsNeverDeliveredTwice() {
    GossipSettings d = GossipSettings.defaults();
    PlumtreeSettings p = d.dissemination();
    PlumtreeSettings shortMemory =
        new PlumtreeSettings(
            p.ihaveInterval(),
            p.maxIHaveInterval(),
            p.maxIHaveBatch(),
            p.optimizationThreshold(),
            p.seenCapacity(),
            Duration.ofSeconds(30),
            p.cacheCapacity(),
            p.cacheBytes(),
            p.cacheRetention());
    assertRejected(
        "dissemination.seen-retention",
        () -> new GossipSettings(d.membership(), shortMemory, d.recovery(), d.heartbeat()));
    PlumtreeSettings fewIds =
        new PlumtreeSettings(
            p.ihaveInterval(),
            p.maxIHaveInterval(),
            p.maxIHaveBatch(),
            p.optimizationThreshold(),
            100,
            p.seenRetention(),
            p.cacheCapacity(),
            p.cacheBytes(),
            p.cacheRetention());
    assertRejected(
        "dissemination.seen-capacity",
        () -> new GossipSettings(d.membership(), fewIds, d.recovery(), d.heartbeat()));
  }
}
