package dev.gossip.core.heartbeat;

import static dev.gossip.core.testing.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gossip.core.DownReason;
import dev.gossip.core.Input;
import dev.gossip.core.LinkFailed;
import dev.gossip.core.NeighborDown;
import dev.gossip.core.NeighborUp;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import dev.gossip.core.Received;
import dev.gossip.core.Schedule;
import dev.gossip.core.Send;
import dev.gossip.core.Start;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.message.Digest;
import dev.gossip.core.message.Ping;
import dev.gossip.core.message.Pong;
import dev.gossip.core.recovery.RecoveryTimer;
import dev.gossip.core.testing.Recorder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact-outbox tests of the heartbeat role: one rule per test. */
class HeartbeatTest {

  private static final NodeId A = node(1);
  private static final NodeId B = node(2);
  private static final NodeId C = node(3);
  private static final NodeId STRANGER = node(66);

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;
  private static final long T0 = 10 * SECOND;

  /** failureTimeout: 5 s. */
  private static final long TIMEOUT = 5 * SECOND;

  private static final TimerExpired TICK = new TimerExpired(HeartbeatTick.INSTANCE);
  private static final Schedule RESCHEDULE =
      new Schedule(Duration.ofSeconds(1), HeartbeatTick.INSTANCE);

  private final Heartbeat heartbeat = new Heartbeat(HeartbeatSettings.defaults());
  private final Recorder out = new Recorder();

  private List<Output> feed(Input input, long now) {
    heartbeat.handle(input, now, out);
    return out.take();
  }

  private void given(long now, Input... inputs) {
    for (Input input : inputs) {
      heartbeat.handle(input, now, out);
    }
    out.take();
  }

  private static Received pong(NodeId from, long sentAt) {
    return new Received(from, new Pong(sentAt));
  }

  private static RttMeasured rtt(NodeId peer, long sample, long smoothed) {
    return new RttMeasured(peer, Duration.ofNanos(sample), Duration.ofNanos(smoothed));
  }

  @Test
  void startSchedulesTheFirstTick() {
    assertEquals(List.of(RESCHEDULE), feed(Start.INSTANCE, T0));
  }

  @Test
  void tickWithoutLinksOnlyReschedules() {
    assertEquals(List.of(RESCHEDULE), feed(TICK, T0));
  }

  @Test
  void tickReschedulesAndPingsEveryMonitoredLinkWithTheCurrentTime() {
    given(T0, new NeighborUp(A), new NeighborUp(B), new NeighborUp(C));
    assertEquals(
        List.of(
            RESCHEDULE,
            new Send(A, new Ping(T0 + SECOND)),
            new Send(B, new Ping(T0 + SECOND)),
            new Send(C, new Ping(T0 + SECOND))),
        feed(TICK, T0 + SECOND));
  }

  @Test
  void otherTimersAreIgnored() {
    given(T0, new NeighborUp(A));
    assertEquals(
        List.of(), feed(new TimerExpired(RecoveryTimer.AntiEntropyTick.INSTANCE), T0 + SECOND));
  }

  @Test
  void neighborUpStartsMonitoringSilently() {
    assertEquals(List.of(), feed(new NeighborUp(A), T0));
    assertEquals(1, heartbeat.monitoredLinks());
  }

  @Test
  void aLinkSilentLongerThanTheTimeoutIsReportedFailedAfterThePings() {
    given(T0, new NeighborUp(A), new NeighborUp(B), new NeighborUp(C));
    given(T0 + 2 * SECOND, new Received(B, new Ping(1)));
    assertEquals(
        List.of(
            RESCHEDULE,
            new Send(B, new Ping(T0 + TIMEOUT + 1)),
            new LinkFailed(A, DownReason.HEARTBEAT_TIMEOUT),
            new LinkFailed(C, DownReason.HEARTBEAT_TIMEOUT)),
        feed(TICK, T0 + TIMEOUT + 1));
    assertEquals(1, heartbeat.monitoredLinks());
  }

  @Test
  void aLinkSilentForExactlyTheTimeoutIsStillAlive() {
    given(T0, new NeighborUp(A));
    assertEquals(
        List.of(RESCHEDULE, new Send(A, new Ping(T0 + TIMEOUT))), feed(TICK, T0 + TIMEOUT));
  }

  @Test
  void aFailedLinkIsReportedOnceAndNoLongerMonitored() {
    given(T0, new NeighborUp(A));
    given(T0 + TIMEOUT + 1, TICK);
    assertEquals(0, heartbeat.monitoredLinks());
    assertEquals(List.of(RESCHEDULE), feed(TICK, T0 + TIMEOUT + SECOND));
    assertEquals(List.of(), feed(new Received(A, new Ping(3)), T0 + TIMEOUT + SECOND));
  }

  @Test
  void anyMessageFromThePeerRefreshesItsLiveness() {
    given(T0, new NeighborUp(A));
    given(T0 + 3 * SECOND, new Received(A, new Digest(List.of(), false)));
    assertEquals(
        List.of(RESCHEDULE, new Send(A, new Ping(T0 + 8 * SECOND))), feed(TICK, T0 + 8 * SECOND));
    assertEquals(
        List.of(RESCHEDULE, new LinkFailed(A, DownReason.HEARTBEAT_TIMEOUT)),
        feed(TICK, T0 + 8 * SECOND + 1));
  }

  @Test
  void linkActivityReportedByTheDriverRefreshesLivenessButNeverTurnsItBack() {
    given(T0, new NeighborUp(A));
    given(T0 + 4 * SECOND, new HeardFrom(A, T0 + 3 * SECOND), new HeardFrom(A, T0 + SECOND));
    assertEquals(
        List.of(RESCHEDULE, new Send(A, new Ping(T0 + 8 * SECOND))), feed(TICK, T0 + 8 * SECOND));
    assertEquals(
        List.of(RESCHEDULE, new LinkFailed(A, DownReason.HEARTBEAT_TIMEOUT)),
        feed(TICK, T0 + 8 * SECOND + 1));
    assertEquals(List.of(), feed(new HeardFrom(STRANGER, T0), T0 + 9 * SECOND));
  }

  @Test
  void aPingIsAnsweredWithAPongEchoingItsSentAt() {
    given(T0, new NeighborUp(A));
    assertEquals(
        List.of(new Send(A, new Pong(-123_456L))), feed(new Received(A, new Ping(-123_456L)), T0));
  }

  @Test
  void theFirstPongGivesTheRttAsIs() {
    given(T0, new NeighborUp(A));
    assertNull(heartbeat.smoothedRtt(A));
    assertEquals(List.of(rtt(A, 80 * MS, 80 * MS)), feed(pong(A, T0), T0 + 80 * MS));
    assertEquals(Duration.ofMillis(80), heartbeat.smoothedRtt(A));
  }

  @Test
  void laterPongsAreSmoothedWithAGainOfOneEighth() {
    given(T0, new NeighborUp(A));
    given(T0, pong(A, T0 - 80 * MS)); // 80 ms
    // 80 + (160 - 80) / 8 = 90
    assertEquals(List.of(rtt(A, 160 * MS, 90 * MS)), feed(pong(A, T0 - 160 * MS), T0));
    // 90 + (10 - 90) / 8 = 80
    assertEquals(List.of(rtt(A, 10 * MS, 80 * MS)), feed(pong(A, T0 - 10 * MS), T0));
    // 80 + (88 - 80) / 8 = 81
    assertEquals(List.of(rtt(A, 88 * MS, 81 * MS)), feed(pong(A, T0 - 88 * MS), T0));
    // 81 + (1 - 81) / 8 = 71
    assertEquals(List.of(rtt(A, MS, 71 * MS)), feed(pong(A, T0 - MS), T0));
    assertEquals(Duration.ofMillis(71), heartbeat.smoothedRtt(A));
  }

  @Test
  void eachLinkHasItsOwnRtt() {
    given(T0, new NeighborUp(A), new NeighborUp(B));
    given(T0, pong(A, T0 - 80 * MS));
    assertEquals(List.of(rtt(B, 8 * MS, 8 * MS)), feed(pong(B, T0 - 8 * MS), T0));
    assertEquals(Duration.ofMillis(80), heartbeat.smoothedRtt(A));
  }

  @Test
  void aPongWithSentAtInTheFutureIsNoSample() {
    given(T0, new NeighborUp(A));
    assertEquals(List.of(), feed(pong(A, T0 + 1), T0));
    assertNull(heartbeat.smoothedRtt(A));
  }

  @Test
  void aPongOlderThanTheTimeoutIsNoSample() {
    given(T0, new NeighborUp(A));
    assertEquals(List.of(), feed(pong(A, T0 - TIMEOUT - 1), T0));
    assertEquals(List.of(), feed(pong(A, Long.MIN_VALUE), T0));
    assertEquals(List.of(), feed(pong(A, Long.MAX_VALUE), T0));
    assertNull(heartbeat.smoothedRtt(A));
    assertEquals(List.of(rtt(A, TIMEOUT, TIMEOUT)), feed(pong(A, T0 - TIMEOUT), T0));
  }

  @Test
  void aPongThatIsNoSampleStillCountsAsASignOfLife() {
    given(T0, new NeighborUp(A));
    given(T0 + 3 * SECOND, pong(A, Long.MAX_VALUE));
    assertEquals(
        List.of(RESCHEDULE, new Send(A, new Ping(T0 + 8 * SECOND))), feed(TICK, T0 + 8 * SECOND));
  }

  @Test
  void aPongAfterAForgedOneStillSmoothesFromTheLastRealSample() {
    given(T0, new NeighborUp(A));
    given(T0, pong(A, T0 - 80 * MS), pong(A, T0 + SECOND), pong(A, Long.MIN_VALUE));
    assertEquals(List.of(rtt(A, 160 * MS, 90 * MS)), feed(pong(A, T0 - 160 * MS), T0));
  }

  @Test
  void neighborDownStopsMonitoringAndForgetsTheRtt() {
    given(T0, new NeighborUp(A), new NeighborUp(B), pong(A, T0 - MS));
    assertEquals(List.of(), feed(new NeighborDown(A, DownReason.EVICTED), T0));
    assertEquals(1, heartbeat.monitoredLinks());
    assertNull(heartbeat.smoothedRtt(A));
    assertEquals(List.of(RESCHEDULE, new Send(B, new Ping(T0 + SECOND))), feed(TICK, T0 + SECOND));
    // Even long after, the peer that went down is never reported failed.
    given(T0 + TIMEOUT, new Received(B, new Pong(T0 + SECOND)));
    assertEquals(
        List.of(RESCHEDULE, new Send(B, new Ping(T0 + TIMEOUT + SECOND))),
        feed(TICK, T0 + TIMEOUT + SECOND));
  }

  @Test
  void neighborDownOfAnUnknownPeerIsHarmless() {
    given(T0, new NeighborUp(A));
    assertEquals(List.of(), feed(new NeighborDown(STRANGER, DownReason.LEFT), T0));
    assertEquals(1, heartbeat.monitoredLinks());
  }

  @Test
  void messagesFromUnmonitoredPeersAreIgnored() {
    given(T0, new NeighborUp(A));
    assertEquals(List.of(), feed(new Received(STRANGER, new Ping(T0)), T0));
    assertEquals(List.of(), feed(pong(STRANGER, T0 - MS), T0));
    assertNull(heartbeat.smoothedRtt(STRANGER));
    assertEquals(1, heartbeat.monitoredLinks());
  }

  @Test
  void aNeighbourUpAgainAfterFailingIsMonitoredFromThatMoment() {
    given(T0, new NeighborUp(A));
    given(T0 + TIMEOUT + 1, TICK);
    given(T0 + 20 * SECOND, new NeighborUp(A));
    assertEquals(
        List.of(RESCHEDULE, new Send(A, new Ping(T0 + 25 * SECOND))), feed(TICK, T0 + 25 * SECOND));
  }
}
