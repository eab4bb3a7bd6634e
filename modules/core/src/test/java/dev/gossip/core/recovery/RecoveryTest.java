package dev.gossip.core.recovery;

import static dev.gossip.core.testing.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gossip.core.DownReason;
import dev.gossip.core.Input;
import dev.gossip.core.MessageHistory;
import dev.gossip.core.MessageId;
import dev.gossip.core.NeighborDown;
import dev.gossip.core.NeighborUp;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import dev.gossip.core.Received;
import dev.gossip.core.Schedule;
import dev.gossip.core.Send;
import dev.gossip.core.Start;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.dissemination.AlreadyDelivered;
import dev.gossip.core.dissemination.Announced;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.dissemination.EarlierAnnouncement;
import dev.gossip.core.dissemination.RequestGraft;
import dev.gossip.core.heartbeat.HeartbeatTick;
import dev.gossip.core.heartbeat.RttMeasured;
import dev.gossip.core.message.Digest;
import dev.gossip.core.message.OriginSummary;
import dev.gossip.core.message.Ping;
import dev.gossip.core.message.Recovered;
import dev.gossip.core.message.SequenceRange;
import dev.gossip.core.testing.Recorder;
import dev.gossip.core.testing.ZeroRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Exact-outbox tests of the recovery role: one rule per test. */
class RecoveryTest {

  private static final NodeId A = node(1);
  private static final NodeId B = node(2);
  private static final NodeId C = node(3);
  private static final NodeId STRANGER = node(66);
  private static final NodeId ORIGIN = node(9);
  private static final NodeId OTHER_ORIGIN = node(10);
  private static final NodeId THIRD_ORIGIN = node(11);

  private static final long T0 = 1_000_000_000L;
  private static final long SECOND = 1_000_000_000L;

  /** When the messages delivered at T0 are resent: max-graft-timeout (2 s) later. */
  private static final long SETTLED = T0 + 2 * SECOND;

  private static final TimerExpired TICK = new TimerExpired(RecoveryTimer.AntiEntropyTick.INSTANCE);
  private static final Schedule RESCHEDULE_TICK =
      new Schedule(Duration.ofSeconds(5), RecoveryTimer.AntiEntropyTick.INSTANCE);

  /** Test settings: generous caps unless a test lowers one. */
  private static final class Settings {
    Duration maxGraftTimeout = Duration.ofSeconds(2);
    int maxMissing = 16;
    int maxAnnouncers = 8;
    int historyCapacity = 64;
    long historyBytes = 1 << 20;
    Duration retention = Duration.ofSeconds(60);
    int maxOrigins = 16;
    int maxGaps = 16;
    int maxResend = 64;

    RecoverySettings build() {
      return new RecoverySettings(
          Duration.ofMillis(80),
          Duration.ofMillis(40),
          maxGraftTimeout,
          maxMissing,
          maxAnnouncers,
          Duration.ofSeconds(5),
          historyCapacity,
          historyBytes,
          retention,
          maxOrigins,
          maxGaps,
          maxResend);
    }
  }

  private final Recorder out = new Recorder();
  private Recovery recovery = new Recovery(new Settings().build(), new ZeroRandom());

  private void use(Settings settings) {
    recovery = new Recovery(settings.build(), new ZeroRandom());
  }

  private List<Output> feed(Input input, long now) {
    recovery.handle(input, now, out);
    return out.take();
  }

  /** Feeds setup inputs and discards their outputs. */
  private void given(long now, Input... inputs) {
    for (Input input : inputs) {
      recovery.handle(input, now, out);
    }
    out.take();
  }

  private static MessageId id(long sequence) {
    return new MessageId(ORIGIN, sequence);
  }

  private static MessageId id(NodeId origin, long sequence) {
    return new MessageId(origin, sequence);
  }

  private static byte[] payload(MessageId id) {
    return (id.origin().host() + "/" + id.sequence()).getBytes();
  }

  private static Delivered delivered(MessageId id) {
    return new Delivered(id, A, 3, payload(id));
  }

  private static Delivered delivered(MessageId id, int hops) {
    return new Delivered(id, A, hops, payload(id));
  }

  private static Recovered recovered(MessageId id) {
    return new Recovered(id, 4, payload(id));
  }

  private static TimerExpired timeout(MessageId id) {
    return new TimerExpired(new RecoveryTimer.MissingTimeout(id));
  }

  private static Schedule graftTimer(MessageId id) {
    return new Schedule(Duration.ofMillis(80), new RecoveryTimer.MissingTimeout(id));
  }

  private static Schedule secondTimer(MessageId id) {
    return new Schedule(Duration.ofMillis(40), new RecoveryTimer.MissingTimeout(id));
  }

  private static Received digestFrom(NodeId from, boolean replyWanted, OriginSummary... origins) {
    return new Received(from, new Digest(List.of(origins), replyWanted));
  }

  private static OriginSummary summary(NodeId origin, long highest, SequenceRange... gaps) {
    return new OriginSummary(origin, highest, List.of(gaps));
  }

  private static SequenceRange range(long from, long to) {
    return new SequenceRange(from, to);
  }

  private void deliverAll(long now, MessageId... ids) {
    for (MessageId id : ids) {
      given(now, delivered(id));
    }
  }

  private OriginSummary summaryOf(NodeId origin) {
    for (OriginSummary s : recovery.digest(false).origins()) {
      if (s.origin().equals(origin)) {
        return s;
      }
    }
    return null;
  }

  private List<MessageId> historyIds() {
    List<MessageId> ids = new ArrayList<>();
    for (MessageHistory.Entry e : recovery.history().entries()) {
      ids.add(e.id());
    }
    return ids;
  }

  // ---- Start and unrelated inputs ----

  @Test
  void startSchedulesTheFirstAntiEntropyTickAtARandomPointOfTheInterval() {
    assertEquals(
        List.of(new Schedule(Duration.ofNanos(1), RecoveryTimer.AntiEntropyTick.INSTANCE)),
        feed(Start.INSTANCE, T0));
  }

  @Test
  void inputsOfOtherRolesAreIgnored() {
    given(T0, new NeighborUp(A));
    assertEquals(List.of(), feed(new Received(A, new Ping(5)), T0));
    assertEquals(List.of(), feed(new TimerExpired(HeartbeatTick.INSTANCE), T0));
  }

  @Test
  void neighborUpEmitsNothing() {
    assertEquals(List.of(), feed(new NeighborUp(A), T0));
  }

  // ---- Missing-message timers ----

  @Test
  void firstAnnouncementOfAnUndeliveredIdStartsTheGraftTimer() {
    given(T0, new NeighborUp(A));
    assertEquals(List.of(graftTimer(id(1))), feed(new Announced(id(1), A, 2), T0));
    assertEquals(Set.of(id(1)), recovery.missing());
  }

  @Test
  void furtherAnnouncementsOfAMissingIdScheduleNothing() {
    given(T0, new NeighborUp(A), new NeighborUp(B), new Announced(id(1), A, 2));
    assertEquals(List.of(), feed(new Announced(id(1), B, 3), T0));
    assertEquals(Set.of(id(1)), recovery.missing());
  }

  @Test
  void announcementOfAnAlreadyDeliveredIdIsIgnored() {
    given(T0, new NeighborUp(A), delivered(id(1)));
    assertEquals(List.of(), feed(new Announced(id(1), A, 2), T0));
    assertEquals(Set.of(), recovery.missing());
    assertEquals(List.of(), feed(timeout(id(1)), T0 + 80_000_000));
  }

  @Test
  void graftTimeoutGraftsTheFirstAnnouncerAndStartsTheSecondTimer() {
    given(T0, new NeighborUp(A), new NeighborUp(B));
    given(T0, new Announced(id(1), A, 2), new Announced(id(1), B, 3));
    assertEquals(
        List.of(new RequestGraft(id(1), A), secondTimer(id(1))),
        feed(timeout(id(1)), T0 + 80_000_000));
    assertEquals(Set.of(id(1)), recovery.missing());
  }

  @Test
  void secondTimeoutGraftsTheNextAnnouncer() {
    given(T0, new NeighborUp(A), new NeighborUp(B));
    given(T0, new Announced(id(1), A, 2), new Announced(id(1), B, 3), timeout(id(1)));
    assertEquals(
        List.of(new RequestGraft(id(1), B), secondTimer(id(1))),
        feed(timeout(id(1)), T0 + 120_000_000));
  }

  @Test
  void timeoutWithNoAnnouncerLeftDropsTheMissingId() {
    given(T0, new NeighborUp(A), new Announced(id(1), A, 2), timeout(id(1)));
    assertEquals(List.of(), feed(timeout(id(1)), T0 + 120_000_000));
    assertEquals(Set.of(), recovery.missing());
    assertEquals(List.of(), feed(timeout(id(1)), T0 + 160_000_000));
  }

  @Test
  void anAnnouncerIsRememberedOnce() {
    given(T0, new NeighborUp(A), new NeighborUp(B));
    given(T0, new Announced(id(1), A, 2), new Announced(id(1), A, 2));
    given(T0, new Announced(id(1), B, 2), new Announced(id(1), A, 4));
    assertEquals(List.of(new RequestGraft(id(1), A), secondTimer(id(1))), feed(timeout(id(1)), T0));
    assertEquals(List.of(new RequestGraft(id(1), B), secondTimer(id(1))), feed(timeout(id(1)), T0));
    assertEquals(List.of(), feed(timeout(id(1)), T0));
    assertEquals(Set.of(), recovery.missing());
  }

  @Test
  void announcersBeyondMaxAnnouncersAreNotRemembered() {
    Settings s = new Settings();
    s.maxAnnouncers = 2;
    use(s);
    given(T0, new NeighborUp(A), new NeighborUp(B), new NeighborUp(C));
    given(T0, new Announced(id(1), A, 2), new Announced(id(1), B, 2));
    assertEquals(List.of(), feed(new Announced(id(1), C, 2), T0));
    assertEquals(List.of(new RequestGraft(id(1), A), secondTimer(id(1))), feed(timeout(id(1)), T0));
    assertEquals(List.of(new RequestGraft(id(1), B), secondTimer(id(1))), feed(timeout(id(1)), T0));
    assertEquals(List.of(), feed(timeout(id(1)), T0));
  }

  @Test
  void deliveryCancelsTheMissingTimer() {
    given(T0, new NeighborUp(A), new Announced(id(1), A, 3));
    assertEquals(List.of(), feed(delivered(id(1), 3), T0 + 10));
    assertEquals(Set.of(), recovery.missing());
    assertEquals(List.of(), feed(timeout(id(1)), T0 + 80_000_000));
  }

  // ---- Adaptive graft timeout (RFC 6298 estimate of the IHave-to-delivery delay) ----

  private static final long MS = 1_000_000L;

  private static Schedule graftTimer(MessageId id, long millis) {
    return new Schedule(Duration.ofMillis(millis), new RecoveryTimer.MissingTimeout(id));
  }

  /** Announces {@code id} by A at {@code now} and delivers it from B {@code delay} later. */
  private void sampleDelay(MessageId id, long now, long delay) {
    given(now, new Announced(id, A, 2));
    given(now + delay, new Delivered(id, B, 3, payload(id)));
  }

  @Test
  void aFirstDelaySampleSetsTheGraftTimeoutToThreeTimesTheDelay() {
    given(T0, new NeighborUp(A), new NeighborUp(B));
    sampleDelay(id(1), T0, 100 * MS);
    // Smoothed 100 ms plus four mean deviations of 50 ms.
    assertEquals(List.of(graftTimer(id(2), 300)), feed(new Announced(id(2), A, 2), T0 + SECOND));
  }

  @Test
  void furtherSamplesMoveTheEstimateByRfc6298Gains() {
    given(T0, new NeighborUp(A), new NeighborUp(B));
    sampleDelay(id(1), T0, 100 * MS);
    sampleDelay(id(2), T0, 200 * MS);
    // Deviation 50 + (100 - 50) / 4 = 62.5 ms; smoothed 100 + (200 - 100) / 8 = 112.5 ms.
    assertEquals(
        List.of(
            new Schedule(Duration.ofNanos(362_500_000), new RecoveryTimer.MissingTimeout(id(3)))),
        feed(new Announced(id(3), A, 2), T0 + SECOND));
  }

  @Test
  void anEstimateBelowGraftTimeoutKeepsBothConfiguredTimeouts() {
    given(T0, new NeighborUp(A), new NeighborUp(B));
    sampleDelay(id(1), T0, 10 * MS);
    assertEquals(List.of(graftTimer(id(2))), feed(new Announced(id(2), A, 2), T0 + SECOND));
    assertEquals(
        List.of(new RequestGraft(id(2), A), secondTimer(id(2))), feed(timeout(id(2)), T0 + SECOND));
  }

  @Test
  void theSecondGraftTimeoutKeepsItsConfiguredRatioToTheFirst() {
    given(T0, new NeighborUp(A), new NeighborUp(B));
    sampleDelay(id(1), T0, 100 * MS);
    given(T0 + SECOND, new Announced(id(2), A, 2));
    assertEquals(
        List.of(new RequestGraft(id(2), A), graftTimer(id(2), 150)),
        feed(timeout(id(2)), T0 + SECOND + 300 * MS));
  }

  @Test
  void bothGraftTimeoutsStopAtMaxGraftTimeout() {
    given(T0, new NeighborUp(A), new NeighborUp(B));
    sampleDelay(id(1), T0, 1_000 * MS);
    assertEquals(List.of(graftTimer(id(2), 2_000)), feed(new Announced(id(2), A, 2), T0));
    // 40 ms scaled by 3,000 / 80 would be 1.5 s; the first stopped at 2 s, so 40 x 25.
    assertEquals(
        List.of(new RequestGraft(id(2), A), graftTimer(id(2), 1_000)),
        feed(timeout(id(2)), T0 + 2 * SECOND));
  }

  @Test
  void theEstimateHalvesForEveryMaxGraftTimeoutWithoutASample() {
    // Samples stop when the queues drain: a past burst must not slow the repair of a failure.
    given(T0, new NeighborUp(A), new NeighborUp(B));
    sampleDelay(id(1), T0, 100 * MS);
    long quiet = T0 + 100 * MS + 2 * SECOND;
    assertEquals(List.of(graftTimer(id(2), 150)), feed(new Announced(id(2), A, 2), quiet));
    // 75 ms: back to graft-timeout.
    assertEquals(List.of(graftTimer(id(3))), feed(new Announced(id(3), A, 2), quiet + 2 * SECOND));
  }

  @Test
  void aDelayLongerThanMaxGraftTimeoutIsNoSample() {
    // A loss, or an IHave for an id announced before it existed: not a delay to wait for.
    given(T0, new NeighborUp(A), new NeighborUp(B));
    sampleDelay(id(1), T0, 2 * SECOND + 1);
    assertEquals(List.of(graftTimer(id(2))), feed(new Announced(id(2), A, 2), T0 + 3 * SECOND));
  }

  @Test
  void aDeliveryBeforeItsAnnouncementOnTheClockIsNoSample() {
    given(T0, new NeighborUp(A), new NeighborUp(B));
    sampleDelay(id(1), T0, -MS);
    assertEquals(List.of(graftTimer(id(2))), feed(new Announced(id(2), A, 2), T0));
  }

  @Test
  void aDeliveryNoIHaveAnnouncedShrinksTheEstimateByOneEighth() {
    // The eager path is ahead again: the estimate falls as soon as the queues drain.
    given(T0, new NeighborUp(A), new NeighborUp(B));
    sampleDelay(id(1), T0, 100 * MS);
    given(T0 + SECOND, delivered(id(2)));
    // Smoothed 87.5 ms, deviation 43.75 ms.
    assertEquals(
        List.of(
            new Schedule(Duration.ofNanos(262_500_000), new RecoveryTimer.MissingTimeout(id(3)))),
        feed(new Announced(id(3), A, 2), T0 + SECOND));
  }

  @Test
  void aBroadcastOfThisNodeIsNoSample() {
    given(T0, new NeighborUp(A), new NeighborUp(B));
    sampleDelay(id(1), T0, 100 * MS);
    given(T0 + SECOND, delivered(id(2), 0));
    assertEquals(List.of(graftTimer(id(3), 300)), feed(new Announced(id(3), A, 2), T0 + SECOND));
  }

  @Test
  void theFirstWaitIsAtLeastGraftTimeoutPlusThreeRoundTripsToTheAnnouncer() {
    // Over TCP a copy held behind a retransmission is late by more on a longer link.
    given(T0, new NeighborUp(A), new NeighborUp(B), rttSample(A, 10 * MS));
    assertEquals(List.of(graftTimer(id(1), 110)), feed(new Announced(id(1), A, 2), T0));
    // B's round trip is unknown: graft-timeout.
    assertEquals(List.of(graftTimer(id(2))), feed(new Announced(id(2), B, 2), T0));
  }

  @Test
  void theFirstWaitFollowsTheLeastRoundTripSinceTheNeighbourCameUp() {
    // Neither a Pong held behind a retransmission nor one slowed by start-up lifts it.
    given(T0, new NeighborUp(A), new NeighborUp(B), rttSample(A, 100 * MS));
    assertEquals(List.of(graftTimer(id(1), 380)), feed(new Announced(id(1), A, 2), T0));
    given(T0 + SECOND, rttSample(A, 20 * MS), rttSample(A, 60 * MS));
    assertEquals(List.of(graftTimer(id(2), 140)), feed(new Announced(id(2), A, 2), T0 + SECOND));
    // A neighbour that comes up again starts afresh.
    given(T0 + SECOND, new NeighborDown(A, DownReason.CONNECTION_LOST), new NeighborUp(A));
    given(T0 + SECOND, rttSample(A, 40 * MS));
    assertEquals(List.of(graftTimer(id(3), 200)), feed(new Announced(id(3), A, 2), T0 + SECOND));
  }

  @Test
  void anEstimateBelowTheLiftedLeastWaitsTheLeast() {
    given(T0, new NeighborUp(A), new NeighborUp(B), rttSample(A, 20 * MS));
    sampleDelay(id(1), T0, 40 * MS);
    // The estimate is 120 ms, above graft-timeout but below 80 + 3 x 20 ms.
    assertEquals(List.of(graftTimer(id(2), 140)), feed(new Announced(id(2), A, 2), T0 + SECOND));
  }

  @Test
  void theRoundTripDoesNotLiftTheSecondWait() {
    // The second timer waits for a Graft's answer: only the estimate and its bound move it.
    given(T0, new NeighborUp(A), new NeighborUp(B), rttSample(A, 20 * MS));
    given(T0, new Announced(id(1), A, 2));
    assertEquals(
        List.of(new RequestGraft(id(1), A), secondTimer(id(1))), feed(timeout(id(1)), T0 + SECOND));
  }

  @Test
  void fixedTimersIgnoreTheRoundTrip() {
    Settings fixed = new Settings();
    fixed.maxGraftTimeout = Duration.ofMillis(80);
    use(fixed);
    given(T0, new NeighborUp(A), new NeighborUp(B), rttSample(A, 30 * MS));
    assertEquals(List.of(graftTimer(id(1))), feed(new Announced(id(1), A, 2), T0));
  }

  @Test
  void theRoundTripsStopAtMaxGraftTimeout() {
    given(T0, new NeighborUp(A), new NeighborUp(B), rttSample(A, SECOND));
    assertEquals(List.of(graftTimer(id(1), 2_000)), feed(new Announced(id(1), A, 2), T0));
  }

  @Test
  void theFirstWaitIsAtMostItsLeastPlusTwoLatestRoundTripsToTheAnnouncer() {
    // Pings cross the same queues as the eager push: a drained link bounds what a burst taught.
    given(T0, new NeighborUp(A), new NeighborUp(B));
    sampleDelay(id(1), T0, 500 * MS);
    given(T0 + SECOND, rttSample(A, 10 * MS), rttSample(A, 30 * MS));
    // At least 80 + 3 x 10 ms, at most that plus 2 x 30 ms.
    assertEquals(List.of(graftTimer(id(2), 170)), feed(new Announced(id(2), A, 2), T0 + SECOND));
    // B's round trip is unknown: only max-graft-timeout bounds a wait on it.
    assertEquals(List.of(graftTimer(id(3), 1_500)), feed(new Announced(id(3), B, 2), T0 + SECOND));
  }

  @Test
  void theSecondWaitIsAtMostSecondGraftTimeoutPlusTwoRoundTripsToTheGraftedPeer() {
    given(T0, new NeighborUp(A), new NeighborUp(B));
    sampleDelay(id(1), T0, 500 * MS);
    given(T0 + SECOND, rttSample(A, 100 * MS), new Announced(id(2), A, 2));
    assertEquals(
        List.of(new RequestGraft(id(2), A), graftTimer(id(2), 240)),
        feed(timeout(id(2)), T0 + SECOND + 280 * MS));
  }

  @Test
  void aRoundTripOfAPeerThatIsNoNeighbourIsIgnored() {
    given(T0, new NeighborUp(B));
    sampleDelay(id(1), T0, 500 * MS);
    given(T0 + SECOND, rttSample(A, 30 * MS), new NeighborUp(A));
    assertEquals(List.of(graftTimer(id(2), 1_500)), feed(new Announced(id(2), A, 2), T0 + SECOND));
  }

  @Test
  void aNeighbourGoingDownResetsTheEstimate() {
    // What came through it now comes only by Graft: a burst's estimate would only delay repair.
    given(T0, new NeighborUp(A), new NeighborUp(B), new NeighborUp(C));
    sampleDelay(id(1), T0, 500 * MS);
    given(T0 + SECOND, new NeighborDown(C, DownReason.CONNECTION_LOST));
    assertEquals(List.of(graftTimer(id(2))), feed(new Announced(id(2), A, 2), T0 + SECOND));
  }

  @Test
  void aCutOffAnnouncementIsGraftedAtOnceWithTheSecondTimer() {
    // The origin's tree has no eager peer at the announcing node: no eager copy is on its way.
    given(T0, new NeighborUp(A));
    assertEquals(
        List.of(new RequestGraft(id(1), A), secondTimer(id(1))),
        feed(new Announced(id(1), A, 2, true), T0));
    assertEquals(List.of(), feed(new Announced(id(1), A, 2, true), T0 + MS));
  }

  @Test
  void aCutOffAnnouncementGraftsTheFirstAnnouncerOfAMessageWhoseFirstTimerIsRunning() {
    given(T0, new NeighborUp(A), new NeighborUp(B), new Announced(id(1), A, 2));
    assertEquals(
        List.of(new RequestGraft(id(1), A), secondTimer(id(1))),
        feed(new Announced(id(1), B, 3, true), T0 + MS));
    // The second timer replaced the first: when it fires, the next announcer is grafted.
    assertEquals(
        List.of(new RequestGraft(id(1), B), secondTimer(id(1))),
        feed(timeout(id(1)), T0 + 41 * MS));
  }

  @Test
  void aCutOffAnnouncementFromAPeerNotYetANeighbourWaitsForTheTimer() {
    // Recovery may hear of the neighbour after dissemination did: the timer grafts it later.
    assertEquals(List.of(graftTimer(id(1))), feed(new Announced(id(1), A, 2, true), T0));
  }

  private static RttMeasured rttSample(NodeId peer, long nanos) {
    return new RttMeasured(peer, Duration.ofNanos(nanos), Duration.ofNanos(nanos));
  }

  @Test
  void aDeliveryFromAGraftedPeerIsNoSample() {
    // It may be the Graft's answer, whose delay says nothing of the eager path.
    given(T0, new NeighborUp(A), new NeighborUp(B), new Announced(id(1), A, 2), timeout(id(1)));
    given(T0 + 100 * MS, delivered(id(1)));
    assertEquals(List.of(graftTimer(id(2))), feed(new Announced(id(2), A, 2), T0 + SECOND));
  }

  @Test
  void aDeliveryFromAnotherPeerAfterAGraftIsASample() {
    // The eager push came anyway: the graft was needless, and its delay is what to wait for.
    given(T0, new NeighborUp(A), new NeighborUp(B), new Announced(id(1), A, 2), timeout(id(1)));
    given(T0 + 100 * MS, new Delivered(id(1), B, 3, payload(id(1))));
    assertEquals(List.of(graftTimer(id(2), 300)), feed(new Announced(id(2), A, 2), T0 + SECOND));
  }

  @Test
  void anIdAnnouncedOnlyAfterItsDeliveryIsNoSample() {
    given(T0, new NeighborUp(A), new NeighborUp(B), delivered(id(1)));
    given(T0 + 100 * MS, new Announced(id(1), A, 2));
    assertEquals(List.of(graftTimer(id(2))), feed(new Announced(id(2), A, 2), T0 + SECOND));
  }

  @Test
  void aMissingIdIsGraftedOnceHalfTheHistoryCapacityWasDeliveredSinceItsFirstIHave() {
    // A graft later than the announcer's cache and history would find the message nowhere.
    Settings s = new Settings();
    s.historyCapacity = 8;
    use(s);
    given(T0, new NeighborUp(A), new Announced(id(1), A, 2));
    deliverAll(T0, id(OTHER_ORIGIN, 1), id(OTHER_ORIGIN, 2), id(OTHER_ORIGIN, 3));
    assertEquals(
        List.of(new RequestGraft(id(1), A), secondTimer(id(1))),
        feed(delivered(id(OTHER_ORIGIN, 4)), T0 + MS));
    assertEquals(List.of(), feed(delivered(id(OTHER_ORIGIN, 5)), T0 + MS));
  }

  @Test
  void deliveryReportsTheShortestPendingAnnouncementWhenItBeatsTheDelivery() {
    given(T0, new NeighborUp(A), new NeighborUp(B), new NeighborUp(C));
    given(T0, new Announced(id(1), A, 5), new Announced(id(1), B, 2), new Announced(id(1), C, 2));
    assertEquals(List.of(new EarlierAnnouncement(id(1), B, 2)), feed(delivered(id(1), 9), T0));
  }

  @Test
  void deliveryReportsNoAnnouncementThatIsNotShorter() {
    given(T0, new NeighborUp(A), new Announced(id(1), A, 4));
    assertEquals(List.of(), feed(delivered(id(1), 4), T0));
  }

  @Test
  void aResendOfAMessageDeliveredBeforeRebuildsItsOriginsForgottenLog() {
    // The log of this origin was evicted or expired, yet the message was delivered here.
    assertEquals(List.of(), feed(new AlreadyDelivered(id(5)), T0));
    assertEquals(summary(ORIGIN, 5, range(1, 4)), summaryOf(ORIGIN));
    assertEquals(null, recovery.history().get(id(5)));
  }

  @Test
  void deliveryIsRecordedInTheHistoryAndTheOriginLog() {
    assertEquals(List.of(), feed(delivered(id(1), 4), T0));
    MessageHistory.Entry entry = recovery.history().get(id(1));
    assertEquals(id(1), entry.id());
    assertEquals(4, entry.round());
    assertEquals("node-9/1", new String(entry.payload()));
    assertEquals(new Digest(List.of(summary(ORIGIN, 1)), false), recovery.digest(false));
  }

  @Test
  void maxMissingEvictsTheOldestMissingId() {
    Settings s = new Settings();
    s.maxMissing = 2;
    use(s);
    given(T0, new NeighborUp(A), new Announced(id(1), A, 2), new Announced(id(2), A, 2));
    assertEquals(List.of(graftTimer(id(3))), feed(new Announced(id(3), A, 2), T0));
    assertEquals(List.of(id(2), id(3)), List.copyOf(recovery.missing()));
    assertEquals(List.of(), feed(timeout(id(1)), T0 + 80_000_000));
    assertEquals(List.of(new RequestGraft(id(2), A), secondTimer(id(2))), feed(timeout(id(2)), T0));
  }

  @Test
  void aFullMissingTableEvictsTheOldestIdOfThePeerHoldingTheMostSlots() {
    Settings s = new Settings();
    s.maxMissing = 3;
    use(s);
    given(T0, new NeighborUp(A), new NeighborUp(B));
    given(T0, new Announced(id(1), B, 2), new Announced(id(2), A, 2), new Announced(id(3), A, 2));
    assertEquals(List.of(graftTimer(id(4))), feed(new Announced(id(4), A, 2), T0));
    assertEquals(List.of(id(1), id(3), id(4)), List.copyOf(recovery.missing()));
  }

  @Test
  void aDeliveredOrAbandonedIdFreesItsHoldersSlot() {
    Settings s = new Settings();
    s.maxMissing = 3;
    use(s);
    given(T0, new NeighborUp(A), new NeighborUp(B));
    given(T0, new Announced(id(1), A, 2), new Announced(id(2), A, 2));
    given(T0, delivered(id(1)), new NeighborDown(A, DownReason.CONNECTION_LOST), timeout(id(2)));
    given(T0, new NeighborUp(A), new Announced(id(3), B, 2), new Announced(id(4), B, 2));
    given(T0, new Announced(id(5), A, 2));
    assertEquals(List.of(graftTimer(id(6))), feed(new Announced(id(6), A, 2), T0));
    assertEquals(List.of(id(4), id(5), id(6)), List.copyOf(recovery.missing()));
  }

  @Test
  void neighborDownRemovesThePeerFromTheAnnouncers() {
    given(T0, new NeighborUp(A), new NeighborUp(B));
    given(T0, new Announced(id(1), A, 2), new Announced(id(1), B, 2));
    assertEquals(List.of(), feed(new NeighborDown(A, DownReason.CONNECTION_LOST), T0));
    assertEquals(List.of(new RequestGraft(id(1), B), secondTimer(id(1))), feed(timeout(id(1)), T0));
    assertEquals(List.of(), feed(timeout(id(1)), T0));
  }

  @Test
  void anAnnouncerThatIsNotANeighbourWhenTheTimerFiresIsNotGrafted() {
    // A role's events may reach recovery after membership's NeighborDown (one actor per role).
    given(T0, new NeighborUp(B));
    given(T0, new Announced(id(1), STRANGER, 2), new Announced(id(1), B, 2));
    assertEquals(List.of(new RequestGraft(id(1), B), secondTimer(id(1))), feed(timeout(id(1)), T0));
    given(T0, new Announced(id(2), STRANGER, 2));
    assertEquals(List.of(), feed(timeout(id(2)), T0));
    assertEquals(Set.of(id(1)), recovery.missing());
  }

  @Test
  void timeoutForAnUnknownIdDoesNothing() {
    assertEquals(List.of(), feed(timeout(id(7)), T0));
    assertEquals(Set.of(), recovery.missing());
  }

  // ---- Anti-entropy: the periodic digest ----

  @Test
  void antiEntropyTickReschedulesAndSendsOurDigestToARandomNeighbour() {
    given(T0, new NeighborUp(A), new NeighborUp(B), new NeighborUp(C));
    deliverAll(T0, id(1), id(2), id(OTHER_ORIGIN, 4));
    // ZeroRandom picks the last neighbour.
    assertEquals(
        List.of(
            RESCHEDULE_TICK,
            new Send(
                C,
                new Digest(
                    List.of(summary(ORIGIN, 2), summary(OTHER_ORIGIN, 4, range(1, 3))), true))),
        feed(TICK, T0 + SECOND));
  }

  @Test
  void antiEntropyTickWithoutNeighboursOnlyReschedules() {
    deliverAll(T0, id(1));
    assertEquals(List.of(RESCHEDULE_TICK), feed(TICK, T0 + SECOND));
  }

  @Test
  void antiEntropyTickSkipsNeighboursThatWentDown() {
    given(T0, new NeighborUp(A), new NeighborUp(B));
    given(T0, new NeighborDown(B, DownReason.EVICTED));
    assertEquals(
        List.of(RESCHEDULE_TICK, new Send(A, new Digest(List.of(), true))), feed(TICK, T0));
  }

  // ---- Anti-entropy: answering a digest ----

  @Test
  void digestWantingAReplyIsAnsweredWithOurDigest() {
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1), id(2));
    assertEquals(
        List.of(new Send(A, new Digest(List.of(summary(ORIGIN, 2)), false))),
        feed(digestFrom(A, true, summary(ORIGIN, 2)), SETTLED));
  }

  @Test
  void digestNotWantingAReplyGetsNoDigestBack() {
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1), id(2));
    assertEquals(List.of(), feed(digestFrom(A, false, summary(ORIGIN, 2)), SETTLED));
  }

  @Test
  void aNeighbourGetsAtMostFourDigestsAnsweredPerAntiEntropyInterval() {
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1));
    Send answer = new Send(A, new Digest(List.of(summary(ORIGIN, 1)), false));
    for (int i = 0; i < 4; i++) {
      assertEquals(List.of(answer), feed(digestFrom(A, true, summary(ORIGIN, 1)), T0 + i));
    }
    assertEquals(List.of(), feed(digestFrom(A, true), T0 + 4));
    assertEquals(List.of(answer), feed(digestFrom(A, true, summary(ORIGIN, 1)), T0 + 5 * SECOND));
  }

  @Test
  void digestFromANonNeighbourIsIgnored() {
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1), id(2));
    assertEquals(List.of(), feed(digestFrom(STRANGER, true), SETTLED));
    given(T0, new NeighborDown(A, DownReason.LEFT));
    assertEquals(List.of(), feed(digestFrom(A, true), SETTLED));
  }

  @Test
  void sequencesAboveTheDigestsHighestAreResent() {
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1), id(2), id(3), id(4));
    assertEquals(
        List.of(new Send(A, recovered(id(3))), new Send(A, recovered(id(4)))),
        feed(digestFrom(A, false, summary(ORIGIN, 2)), SETTLED));
  }

  @Test
  void sequencesInsideTheDigestsGapsAreResent() {
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1), id(2), id(3), id(4), id(5), id(6));
    assertEquals(
        List.of(
            new Send(A, recovered(id(2))),
            new Send(A, recovered(id(4))),
            new Send(A, recovered(id(5)))),
        feed(digestFrom(A, false, summary(ORIGIN, 6, range(2, 2), range(4, 5))), SETTLED));
  }

  @Test
  void anOriginUnknownToTheDigestHasItsWholeHistoryResent() {
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1), id(OTHER_ORIGIN, 1), id(2), id(OTHER_ORIGIN, 2));
    assertEquals(
        List.of(
            new Send(A, recovered(id(OTHER_ORIGIN, 1))),
            new Send(A, recovered(id(OTHER_ORIGIN, 2)))),
        feed(digestFrom(A, false, summary(ORIGIN, 2)), SETTLED));
  }

  @Test
  void resendsGoOldestFirstAfterOurDigest() {
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(3), id(1), id(2));
    assertEquals(
        List.of(
            new Send(A, new Digest(List.of(summary(ORIGIN, 3)), false)),
            new Send(A, recovered(id(3))),
            new Send(A, recovered(id(1))),
            new Send(A, recovered(id(2)))),
        feed(digestFrom(A, true), SETTLED));
  }

  @Test
  void resentMessagesCarryTheRoundTheyArriveWith() {
    given(T0, new NeighborUp(A), delivered(id(1), 7));
    assertEquals(
        List.of(new Send(A, new Recovered(id(1), 8, payload(id(1))))),
        feed(digestFrom(A, false), SETTLED));
  }

  @Test
  void maxResendPerDigestCapsTheAnswer() {
    Settings s = new Settings();
    s.maxResend = 2;
    use(s);
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1), id(2), id(3), id(4));
    assertEquals(
        List.of(
            new Send(A, new Digest(List.of(summary(ORIGIN, 4)), false)),
            new Send(A, recovered(id(1))),
            new Send(A, recovered(id(2)))),
        feed(digestFrom(A, true), SETTLED));
  }

  @Test
  void aDigestEntryWithMoreGapsThanMaxGapsPerOriginIsTreatedAsUnknown() {
    Settings s = new Settings();
    s.maxGaps = 2;
    use(s);
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1), id(2), id(3), id(OTHER_ORIGIN, 1));
    assertEquals(
        List.of(
            new Send(A, recovered(id(1))),
            new Send(A, recovered(id(2))),
            new Send(A, recovered(id(3)))),
        feed(
            digestFrom(
                A,
                false,
                summary(ORIGIN, 9, range(4, 4), range(6, 6), range(8, 8)),
                summary(OTHER_ORIGIN, 1)),
            SETTLED));
    // Exactly maxGapsPerOrigin gaps is still a usable summary.
    assertEquals(
        List.of(),
        feed(
            digestFrom(
                A, false, summary(ORIGIN, 9, range(4, 4), range(6, 6)), summary(OTHER_ORIGIN, 1)),
            SETTLED));
  }

  @Test
  void digestEntriesBeyondMaxOriginsAreTreatedAsUnknown() {
    Settings s = new Settings();
    s.maxOrigins = 2;
    use(s);
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1), id(OTHER_ORIGIN, 1));
    assertEquals(
        List.of(new Send(A, recovered(id(OTHER_ORIGIN, 1)))),
        feed(
            digestFrom(
                A, false, summary(ORIGIN, 1), summary(THIRD_ORIGIN, 1), summary(OTHER_ORIGIN, 1)),
            SETTLED));
  }

  @Test
  void aDigestThatHasEverythingGetsNothingResent() {
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1), id(2), id(OTHER_ORIGIN, 5));
    assertEquals(
        List.of(),
        feed(
            digestFrom(A, false, summary(OTHER_ORIGIN, 5), summary(ORIGIN, Long.MAX_VALUE)),
            SETTLED));
  }

  @Test
  void messagesDeliveredWithinMaxGraftTimeoutAreLeftToTheNextDigest() {
    // Most likely still on their way to the digest's sender: a resend would overtake the tree's
    // copy, and the nodes below the sender would wait for their graft timers.
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1));
    deliverAll(SETTLED - 1, id(2));
    assertEquals(List.of(new Send(A, recovered(id(1)))), feed(digestFrom(A, false), SETTLED));
    assertEquals(
        List.of(new Send(A, recovered(id(1))), new Send(A, recovered(id(2)))),
        feed(digestFrom(A, false), SETTLED - 1 + 2 * SECOND));
  }

  @Test
  void theOlderHalfOfAFullHistoryIsResentWhateverItsAge() {
    // Under heavy traffic the history drops messages sooner than max-graft-timeout: those about to
    // go are resent at once, or a message lost early in a long burst would never be.
    Settings byCount = new Settings();
    byCount.historyCapacity = 4;
    assertOlderHalfResentAtOnce(byCount);
    Settings byBytes = new Settings();
    byBytes.historyBytes = 4L * payload(id(1)).length;
    assertOlderHalfResentAtOnce(byBytes);
  }

  /** Four fresh messages fill the history: the two oldest are resent, the two newest held back. */
  private void assertOlderHalfResentAtOnce(Settings s) {
    use(s);
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1), id(2), id(3), id(4));
    assertEquals(
        List.of(new Send(A, recovered(id(1))), new Send(A, recovered(id(2)))),
        feed(digestFrom(A, false), T0 + MS));
  }

  // ---- The per-origin log ----

  @Test
  void deliveringOneTwoFiveGivesHighestFiveWithGapThreeToFour() {
    deliverAll(T0, id(1), id(2), id(5));
    assertEquals(summary(ORIGIN, 5, range(3, 4)), summaryOf(ORIGIN));
  }

  @Test
  void deliveringThreeThenShrinksTheGapToFourToFour() {
    deliverAll(T0, id(1), id(2), id(5));
    deliverAll(T0, id(3));
    assertEquals(summary(ORIGIN, 5, range(4, 4)), summaryOf(ORIGIN));
  }

  @Test
  void theFirstDeliveryOfAnOriginAboveOneLeavesTheEarlierSequencesAsAGap() {
    deliverAll(T0, id(4));
    assertEquals(summary(ORIGIN, 4, range(1, 3)), summaryOf(ORIGIN));
  }

  @Test
  void summariesKeepAtMostMaxGapsPerOriginMergingTheLowest() {
    Settings s = new Settings();
    s.maxGaps = 2;
    use(s);
    deliverAll(T0, id(1), id(3), id(5), id(7));
    assertEquals(summary(ORIGIN, 7, range(2, 4), range(6, 6)), summaryOf(ORIGIN));
    // Splitting a gap must not exceed the limit either.
    use(s);
    deliverAll(T0, id(1), id(10), id(20), id(5));
    assertEquals(summary(ORIGIN, 20, range(2, 9), range(11, 19)), summaryOf(ORIGIN));
  }

  // ---- Bounds and retention ----

  @Test
  void historyKeepsTheNewestWithinItsCapacity() {
    Settings s = new Settings();
    s.historyCapacity = 2;
    use(s);
    deliverAll(T0, id(1), id(2), id(3));
    assertEquals(List.of(id(2), id(3)), historyIds());
  }

  @Test
  void retentionExpiresHistoryAtTheAntiEntropyTick() {
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1));
    deliverAll(T0 + 30 * SECOND, id(2));
    assertEquals(
        List.of(RESCHEDULE_TICK, new Send(A, new Digest(List.of(summary(ORIGIN, 2)), true))),
        feed(TICK, T0 + 60 * SECOND));
    assertEquals(List.of(id(2)), historyIds());
    assertEquals(
        List.of(new Send(A, recovered(id(2)))), feed(digestFrom(A, false), T0 + 60 * SECOND));
  }

  @Test
  void retentionExpiresGapsAtTheAntiEntropyTick() {
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1), id(3));
    deliverAll(T0 + 30 * SECOND, id(6));
    given(T0 + 59 * SECOND, TICK);
    assertEquals(summary(ORIGIN, 6, range(2, 2), range(4, 5)), summaryOf(ORIGIN));
    assertEquals(
        List.of(
            RESCHEDULE_TICK,
            new Send(A, new Digest(List.of(summary(ORIGIN, 6, range(4, 5))), true))),
        feed(TICK, T0 + 60 * SECOND));
    deliverAll(T0 + 80 * SECOND, id(7));
    assertEquals(
        List.of(RESCHEDULE_TICK, new Send(A, new Digest(List.of(summary(ORIGIN, 7)), true))),
        feed(TICK, T0 + 90 * SECOND));
  }

  @Test
  void retentionForgetsIdleOriginsAtTheAntiEntropyTick() {
    given(T0, new NeighborUp(A));
    deliverAll(T0, id(1));
    deliverAll(T0 + 30 * SECOND, id(OTHER_ORIGIN, 1));
    assertEquals(2, recovery.originCount());
    assertEquals(
        List.of(RESCHEDULE_TICK, new Send(A, new Digest(List.of(summary(OTHER_ORIGIN, 1)), true))),
        feed(TICK, T0 + 60 * SECOND));
    assertEquals(1, recovery.originCount());
    assertNull(summaryOf(ORIGIN));
  }

  @Test
  void maxOriginsKeepsTheMostRecentlyActiveOrigins() {
    Settings s = new Settings();
    s.maxOrigins = 2;
    use(s);
    deliverAll(T0, id(1), id(OTHER_ORIGIN, 1), id(2), id(THIRD_ORIGIN, 1));
    assertEquals(2, recovery.originCount());
    assertEquals(
        new Digest(List.of(summary(ORIGIN, 2), summary(THIRD_ORIGIN, 1)), false),
        recovery.digest(false));
    // The history is bounded on its own; only the summary forgets the origin.
    assertNotNull(recovery.history().get(id(OTHER_ORIGIN, 1)));
  }
}
