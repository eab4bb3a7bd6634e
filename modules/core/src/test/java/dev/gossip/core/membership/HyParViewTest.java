package dev.gossip.core.membership;

import static dev.gossip.core.testing.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.Close;
import dev.gossip.core.Connect;
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
import dev.gossip.core.Timer;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.message.Disconnect;
import dev.gossip.core.message.ForwardJoin;
import dev.gossip.core.message.Join;
import dev.gossip.core.message.Message;
import dev.gossip.core.message.Neighbor;
import dev.gossip.core.message.NeighborReply;
import dev.gossip.core.message.Shuffle;
import dev.gossip.core.message.ShuffleReply;
import dev.gossip.core.testing.Recorder;
import dev.gossip.core.testing.ZeroRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One test per HyParView rule: build a state by feeding inputs, feed one more, and compare the
 * whole outbox in order. {@link ZeroRandom} makes every random pick the last allowed candidate in
 * insertion order and every sample keep insertion order.
 */
class HyParViewTest {

  private static final NodeId SELF = node(0);
  private static final int ARWL = 4;
  private static final int PRWL = 2;
  private static final Duration SHUFFLE_INTERVAL = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration BACKOFF_MIN = Duration.ofMillis(500);
  private static final Duration BACKOFF_MAX = Duration.ofMillis(1500);

  private static final Duration SUSPECT_RETENTION = Duration.ofMinutes(1);

  /** Active 3, passive 5, ARWL 4, PRWL 2, ka 2, kp 2: at most 1 + 2 + 2 = 5 shuffle entries. */
  private static final MembershipSettings SETTINGS = settings(3);

  /** The test settings with another active view size. */
  private static MembershipSettings settings(int activeViewSize) {
    return new MembershipSettings(
        activeViewSize,
        5,
        ARWL,
        PRWL,
        2,
        2,
        SHUFFLE_INTERVAL,
        REQUEST_TIMEOUT,
        BACKOFF_MIN,
        BACKOFF_MAX,
        SUSPECT_RETENTION);
  }

  private static final NodeId CONTACT_A = NodeId.contact("contact-a", 7000);
  private static final NodeId CONTACT_B = NodeId.contact("contact-b", 7000);

  private final Recorder out = new Recorder();
  private final HyParView hv = new HyParView(SELF, SETTINGS, new ZeroRandom());

  // ---- Start and shuffle timer -------------------------------------------------------------

  @Test
  void startSchedulesTheFirstShuffleTickAfterARandomDelay() {
    feed(Start.INSTANCE);

    assertEquals(
        List.of(new Schedule(Duration.ofNanos(1), MembershipTimer.ShuffleTick.INSTANCE)),
        out.take());
  }

  // ---- Join and ForwardJoin ----------------------------------------------------------------

  @Test
  void joinAtContactTakesJoinerAndForwardsJoinWithArwlToOtherActiveMembers() {
    givenActive(node(1), node(2));

    receive(node(3), new Join());

    assertEquals(
        List.of(
            new Connect(node(3)),
            new NeighborUp(node(3)),
            new Send(node(3), new Neighbor(true)),
            new Send(node(1), new ForwardJoin(node(3), ARWL)),
            new Send(node(2), new ForwardJoin(node(3), ARWL))),
        out.take());
    assertEquals(List.of(node(1), node(2), node(3)), active());
  }

  @Test
  void joinAtFullContactEvictsARandomActiveMemberWithDisconnectIntoPassive() {
    givenActive(node(1), node(2), node(3));

    receive(node(4), new Join());

    assertEquals(
        List.of(
            new Send(node(3), new Disconnect(false)),
            new Close(node(3)),
            new NeighborDown(node(3), DownReason.EVICTED),
            new Connect(node(4)),
            new NeighborUp(node(4)),
            new Send(node(4), new Neighbor(true)),
            new Send(node(1), new ForwardJoin(node(4), ARWL)),
            new Send(node(2), new ForwardJoin(node(4), ARWL))),
        out.take());
    assertEquals(List.of(node(1), node(2), node(4)), active());
    assertEquals(List.of(node(3)), passive());
  }

  @Test
  void forwardJoinWithTtlZeroIsAcceptedIntoActiveView() {
    givenActive(node(1), node(2));

    receive(node(1), new ForwardJoin(node(5), 0));

    assertEquals(
        List.of(
            new Connect(node(5)), new NeighborUp(node(5)), new Send(node(5), new Neighbor(true))),
        out.take());
    assertEquals(List.of(node(1), node(2), node(5)), active());
  }

  @Test
  void forwardJoinIsAcceptedWhenActiveViewHasAtMostOneMember() {
    givenActive(node(1));

    receive(node(1), new ForwardJoin(node(5), ARWL));

    assertEquals(
        List.of(
            new Connect(node(5)), new NeighborUp(node(5)), new Send(node(5), new Neighbor(true))),
        out.take());
    assertEquals(List.of(node(1), node(5)), active());
    assertEquals(List.of(), passive());
  }

  @Test
  void forwardJoinAtTtlEqualToPrwlAddsJoinerToPassiveAndForwards() {
    givenActive(node(1), node(2), node(3));

    receive(node(1), new ForwardJoin(node(5), PRWL));

    assertEquals(List.of(new Send(node(3), new ForwardJoin(node(5), PRWL - 1))), out.take());
    assertEquals(List.of(node(1), node(2), node(3)), active());
    assertEquals(List.of(node(5)), passive());
  }

  @Test
  void forwardJoinIsForwardedWithTtlMinusOneToARandomActiveMemberOtherThanTheSender() {
    givenActive(node(1), node(2), node(3));

    // The sender is the last active member, the one ZeroRandom would pick were it allowed.
    receive(node(3), new ForwardJoin(node(5), 3));

    assertEquals(List.of(new Send(node(2), new ForwardJoin(node(5), 2))), out.take());
    assertEquals(List.of(node(1), node(2), node(3)), active());
    assertEquals(List.of(), passive());
  }

  @Test
  void forwardJoinWithNegativeTtlIsAcceptedIntoActiveView() {
    givenActive(node(1), node(2));

    receive(node(1), new ForwardJoin(node(5), Integer.MIN_VALUE));

    assertEquals(
        List.of(
            new Connect(node(5)), new NeighborUp(node(5)), new Send(node(5), new Neighbor(true))),
        out.take());
  }

  @Test
  void forwardJoinWithHugeTtlWalksAtMostArwlSteps() {
    givenActive(node(1), node(2), node(3));

    receive(node(1), new ForwardJoin(node(5), Integer.MAX_VALUE));

    assertEquals(List.of(new Send(node(3), new ForwardJoin(node(5), ARWL - 1))), out.take());
  }

  // ---- Neighbor and NeighborReply ----------------------------------------------------------

  @Test
  void neighborWithHighPriorityIsAlwaysAcceptedEvictingWhenFull() {
    givenActive(node(1), node(2), node(3));

    receive(node(4), new Neighbor(true));

    assertEquals(
        List.of(
            new Send(node(3), new Disconnect(false)),
            new Close(node(3)),
            new NeighborDown(node(3), DownReason.EVICTED),
            new Connect(node(4)),
            new NeighborUp(node(4)),
            new Send(node(4), new NeighborReply(true))),
        out.take());
    assertEquals(List.of(node(1), node(2), node(4)), active());
    assertEquals(List.of(node(3)), passive());
  }

  @Test
  void neighborWithLowPriorityIsAcceptedIntoAFreeSlot() {
    givenActive(node(1));

    receive(node(4), new Neighbor(false));

    assertEquals(
        List.of(
            new Connect(node(4)),
            new NeighborUp(node(4)),
            new Send(node(4), new NeighborReply(true))),
        out.take());
    assertEquals(List.of(node(1), node(4)), active());
  }

  @Test
  void neighborWithLowPriorityIsRejectedWhenFullAndTheRequesterKeptPassive() {
    givenActive(node(1), node(2), node(3));

    receive(node(4), new Neighbor(false));

    assertEquals(List.of(new Send(node(4), new NeighborReply(false))), out.take());
    assertEquals(List.of(node(1), node(2), node(3)), active());
    assertEquals(List.of(node(4)), passive());
  }

  @Test
  void neighborReplyAcceptedForAPendingRequestAddsThePeerToActiveView() {
    givenPassive(node(4), node(5));
    givenActive(node(1), node(2));
    fire(MembershipTimer.ShuffleTick.INSTANCE); // asks node 5 for the free slot
    out.take();
    assertEquals(List.of(node(5)), List.copyOf(hv.pendingNeighbors()));

    receive(node(5), new NeighborReply(true));

    assertEquals(List.of(new Connect(node(5)), new NeighborUp(node(5))), out.take());
    assertEquals(List.of(node(1), node(2), node(5)), active());
    assertEquals(List.of(node(4)), passive());
    assertEquals(List.of(), List.copyOf(hv.pendingNeighbors()));
  }

  @Test
  void unsolicitedAcceptedNeighborReplyIsAnsweredWithDisconnect() {
    givenActive(node(1));

    receive(node(7), new NeighborReply(true));

    assertEquals(List.of(new Send(node(7), new Disconnect(false))), out.take());
    assertEquals(List.of(node(1)), active());
    assertEquals(List.of(), passive());
  }

  @Test
  void refusedNeighborReplyTriesTheNextPassiveCandidateAndTheRefuserNotUntilTheNextShuffleTick() {
    givenPassive(node(4), node(5));
    givenActive(node(1), node(2));
    fire(MembershipTimer.ShuffleTick.INSTANCE); // asks node 5 for the free slot
    out.take();

    receive(node(5), new NeighborReply(false));

    assertEquals(
        List.of(
            new Send(node(4), new Neighbor(false)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(4)))),
        out.take());
    assertEquals(List.of(node(4), node(5)), passive());

    receive(node(4), new NeighborReply(false));
    // One free slot: nobody is forced, and the refill tick scheduled when the view fell short is
    // already pending.
    assertEquals(List.of(), out.take(), "both refused: nobody left to ask before the next tick");

    fire(MembershipTimer.ShuffleTick.INSTANCE);
    assertEquals(
        List.of(
            new Schedule(SHUFFLE_INTERVAL, MembershipTimer.ShuffleTick.INSTANCE),
            new Send(node(2), new Shuffle(SELF, ARWL, List.of(SELF, node(1), node(4), node(5)))),
            new Send(node(5), new Neighbor(false)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(5)))),
        out.take());
  }

  @Test
  void neighborTimeoutDropsTheSilentCandidateFromPassiveAndTriesAnother() {
    givenPassive(node(4), node(5));
    givenActive(node(1), node(2));
    fire(MembershipTimer.ShuffleTick.INSTANCE); // asks node 5 for the free slot
    out.take();

    fire(new MembershipTimer.NeighborTimeout(node(5)));

    assertEquals(
        List.of(
            new Send(node(4), new Neighbor(false)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(4)))),
        out.take());
    assertEquals(List.of(node(4)), passive());
    assertEquals(List.of(node(4)), List.copyOf(hv.pendingNeighbors()));

    // A late timeout for a request already answered changes nothing.
    fire(new MembershipTimer.NeighborTimeout(node(5)));
    assertEquals(List.of(), out.take());
  }

  // ---- Filling a view that stays short -----------------------------------------------------

  @Test
  void aShortViewIsLookedAtAgainAfterABackoffDoublingUpToTheShuffleIntervalAndResetWhenFull() {
    givenActive(node(1), node(2)); // 2 of 3: the first refill tick comes after BACKOFF_MIN

    for (long seconds : new long[] {1, 2, 4, 8, 10, 10}) {
      fire(MembershipTimer.RefillTick.INSTANCE);
      assertEquals(
          List.of(
              new Send(node(2), new Shuffle(SELF, ARWL, List.of(SELF, node(1)))),
              new Send(node(1), new Neighbor(false)),
              new Send(node(2), new Neighbor(false)),
              new Schedule(Duration.ofSeconds(seconds), MembershipTimer.RefillTick.INSTANCE)),
          out.take());
    }

    receive(node(3), new Neighbor(true)); // full: the backoff starts over
    out.take();
    fire(MembershipTimer.RefillTick.INSTANCE);
    assertEquals(List.of(), out.take());

    feed(new LinkFailed(node(3), DownReason.CONNECTION_LOST));
    assertEquals(
        List.of(
            new Close(node(3)),
            new NeighborDown(node(3), DownReason.CONNECTION_LOST),
            new Schedule(BACKOFF_MIN, MembershipTimer.RefillTick.INSTANCE)),
        out.take());
  }

  @Test
  void refillTickAsksTheRefusersAgainShufflesAndTellsTheNeighboursThisNodeLacksALink() {
    givenPassive(node(4), node(5));
    givenActive(node(1), node(2));
    fire(MembershipTimer.ShuffleTick.INSTANCE); // asks node 5, then node 4: both refuse
    receive(node(5), new NeighborReply(false));
    receive(node(4), new NeighborReply(false));
    out.take();

    fire(MembershipTimer.RefillTick.INSTANCE);

    assertEquals(
        List.of(
            new Send(node(2), new Shuffle(SELF, ARWL, List.of(SELF, node(1), node(4), node(5)))),
            new Send(node(1), new Neighbor(false)),
            new Send(node(2), new Neighbor(false)),
            new Send(node(5), new Neighbor(false)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(5))),
            new Schedule(Duration.ofSeconds(1), MembershipTimer.RefillTick.INSTANCE)),
        out.take());
  }

  @Test
  void aRefillTickWhileRequestsAreOutOnlySchedulesTheNext() {
    givenPassive(node(4));
    givenActive(node(1), node(2));
    fire(MembershipTimer.ShuffleTick.INSTANCE); // asks node 4
    out.take();

    fire(MembershipTimer.RefillTick.INSTANCE);

    assertEquals(
        List.of(new Schedule(Duration.ofSeconds(1), MembershipTimer.RefillTick.INSTANCE)),
        out.take());
  }

  @Test
  void aShuffleReplyToAShortNodeHasItsNewEntriesAskedAtOnce() {
    givenActive(node(1), node(2));

    receive(node(1), new ShuffleReply(List.of(node(7))));

    assertEquals(
        List.of(
            new Send(node(7), new Neighbor(false)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(7)))),
        out.take());
  }

  @Test
  void aFullNodeIntroducesTheSecondOfTwoNodesItRefusedToTheFirst() {
    givenActive(node(1), node(2), node(3));
    receive(node(4), new Neighbor(false));
    assertEquals(List.of(new Send(node(4), new NeighborReply(false))), out.take());

    receive(node(5), new Neighbor(false));

    assertEquals(
        List.of(
            new Send(node(5), new NeighborReply(false)),
            new Send(node(4), new ForwardJoin(node(5), 0))),
        out.take());

    receive(node(6), new Neighbor(false)); // node 4 was introduced: node 6 waits for the next
    assertEquals(List.of(new Send(node(6), new NeighborReply(false))), out.take());
  }

  @Test
  void aFullNodeIntroducesANeighbourThatLacksALinkToTheLastNodeItRefused() {
    givenActive(node(1), node(2), node(3));
    receive(node(4), new Neighbor(false));
    out.take();

    receive(node(1), new Neighbor(false));

    assertEquals(
        List.of(
            new Send(node(1), new NeighborReply(true)),
            new Send(node(4), new ForwardJoin(node(1), 0))),
        out.take());
    assertEquals(List.of(node(1), node(2), node(3)), active());
  }

  @Test
  void aForwardJoinFromOutsideTheActiveViewIsAnIntroductionAskedWithLowPriority() {
    givenActive(node(1), node(2));

    receive(node(7), new ForwardJoin(node(5), 0));

    assertEquals(
        List.of(
            new Send(node(5), new Neighbor(false)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(5)))),
        out.take());
    assertEquals(List.of(node(1), node(2)), active());
  }

  @Test
  void aForwardJoinWalkFromOutsideTheActiveViewIsStillForwarded() {
    givenActive(node(1), node(2));

    receive(node(7), new ForwardJoin(node(5), 1));

    assertEquals(List.of(new Send(node(2), new ForwardJoin(node(5), 0))), out.take());
  }

  @Test
  void anIntroductionToAFullNodeNeverEvictsAndKeepsTheNodePassive() {
    givenActive(node(1), node(2), node(3));

    receive(node(7), new ForwardJoin(node(5), 0));

    assertEquals(List.of(), out.take());
    assertEquals(List.of(node(1), node(2), node(3)), active());
    assertEquals(List.of(node(5)), passive());
  }

  @Test
  void aShortNodeIntroducedToItsOwnNeighbourForcesOneLinkElsewhereAtTheNextRefillTick() {
    givenPassive(node(4));
    givenActive(node(1), node(2));
    fire(MembershipTimer.ShuffleTick.INSTANCE); // asks node 4, which refuses
    receive(node(4), new NeighborReply(false));
    out.take();

    // Node 2 lacks a link too; the two cannot fill each other.
    receive(node(7), new ForwardJoin(node(2), 0));
    assertEquals(List.of(), out.take());

    fire(MembershipTimer.RefillTick.INSTANCE);
    assertEquals(forcedLinkToNode4AndRefill(), out.take());
  }

  @Test
  void aShortNodeToldByANeighbourThatItLacksALinkTooForcesOneLinkElsewhereAtTheNextRefillTick() {
    givenPassive(node(4));
    givenActive(node(1), node(2));
    fire(MembershipTimer.ShuffleTick.INSTANCE); // asks node 4, which refuses
    receive(node(4), new NeighborReply(false));
    out.take();

    receive(node(2), new Neighbor(false));
    assertEquals(List.of(new Send(node(2), new NeighborReply(true))), out.take());

    fire(MembershipTimer.RefillTick.INSTANCE);
    assertEquals(forcedLinkToNode4AndRefill(), out.take());
  }

  /** Node 4 asked with high priority, then the rest of a refill tick of a node with 1 and 2. */
  private static List<Output> forcedLinkToNode4AndRefill() {
    return List.of(
        new Send(node(4), new Neighbor(true)),
        new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(4))),
        new Send(node(2), new Shuffle(SELF, ARWL, List.of(SELF, node(1), node(4)))),
        new Send(node(1), new Neighbor(false)),
        new Send(node(2), new Neighbor(false)),
        new Schedule(Duration.ofSeconds(1), MembershipTimer.RefillTick.INSTANCE));
  }

  @Test
  void twoFreeSlotsWithEveryPassiveMemberRefusedForceOneLinkAtTheNextRefillTick() {
    HyParView node = new HyParView(SELF, settings(4), new ZeroRandom());
    Recorder recorder = new Recorder();
    node.handle(new Received(node(99), new ShuffleReply(List.of(node(4), node(5)))), 0, recorder);
    node.handle(new Received(node(1), new Neighbor(true)), 0, recorder);
    node.handle(new Received(node(2), new Neighbor(true)), 0, recorder);
    node.handle(new TimerExpired(MembershipTimer.ShuffleTick.INSTANCE), 0, recorder);
    node.handle(new Received(node(5), new NeighborReply(false)), 0, recorder);
    recorder.take();

    node.handle(new Received(node(4), new NeighborReply(false)), 0, recorder);
    assertEquals(List.of(), recorder.take(), "forcing waits for the refill tick");

    node.handle(new TimerExpired(MembershipTimer.RefillTick.INSTANCE), 0, recorder);

    assertEquals(
        List.of(
            new Send(node(5), new Neighbor(true)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(5))),
            new Send(node(2), new Shuffle(SELF, ARWL, List.of(SELF, node(1), node(4), node(5)))),
            new Send(node(1), new Neighbor(false)),
            new Send(node(2), new Neighbor(false)),
            new Send(node(4), new Neighbor(false)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(4))),
            new Schedule(Duration.ofSeconds(1), MembershipTimer.RefillTick.INSTANCE)),
        recorder.take());
  }

  @Test
  void aPeerEvictedForANewcomerIsNotAskedBackBeforeTheNextTick() {
    givenActive(node(1), node(2), node(3));
    receive(node(4), new Neighbor(true)); // evicts node 3
    out.take();

    feed(new LinkFailed(node(1), DownReason.CONNECTION_LOST));

    // An acceptance from node 3 to an older request may still be on its way: asked again now, it
    // would take that for the answer and keep a link node 3 has dropped.
    assertEquals(
        List.of(new Close(node(1)), new NeighborDown(node(1), DownReason.CONNECTION_LOST)),
        out.take());
    assertEquals(List.of(node(3)), passive());
  }

  // ---- Disconnect and LinkFailed -----------------------------------------------------------

  @Test
  void disconnectMovesThePeerToPassiveAndRefillsWithHighPriorityWhenOneMemberIsLeft() {
    givenPassive(node(4));
    givenActive(node(1), node(2));

    receive(node(2), new Disconnect(false));

    // node 2 has just dropped this node: asking it back at once would undo its eviction. With one
    // member left, this node is one failure from isolation: it asks with high priority.
    assertEquals(
        List.of(
            new Close(node(2)),
            new NeighborDown(node(2), DownReason.EVICTED),
            new Send(node(4), new Neighbor(true)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(4)))),
        out.take());
    assertEquals(List.of(node(1)), active());
    assertEquals(List.of(node(4), node(2)), passive());

    fire(MembershipTimer.ShuffleTick.INSTANCE); // from now on it may be asked again

    assertEquals(
        List.of(
            new Schedule(SHUFFLE_INTERVAL, MembershipTimer.ShuffleTick.INSTANCE),
            new Send(node(1), new Shuffle(SELF, ARWL, List.of(SELF, node(4), node(2)))),
            new Send(node(2), new Neighbor(true)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(2)))),
        out.take());
  }

  @Test
  void disconnectFromALeavingPeerRemovesItEverywhereWithReasonLeft() {
    givenPassive(node(4), node(6));
    givenActive(node(1), node(2));

    receive(node(2), new Disconnect(true));

    assertEquals(
        List.of(
            new Close(node(2)),
            new NeighborDown(node(2), DownReason.LEFT),
            new Send(node(6), new Neighbor(true)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(6))),
            new Send(node(4), new Neighbor(true)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(4)))),
        out.take());
    assertEquals(List.of(node(1)), active());
    assertEquals(List.of(node(4), node(6)), passive());

    receive(node(4), new Disconnect(true)); // a leaving passive member just disappears
    assertEquals(List.of(), out.take());
    assertEquals(List.of(node(6)), passive());
  }

  @Test
  void linkFailedRemovesThePeerWithTheGivenReasonAndRefillsWithLowPriorityNeighbor() {
    givenPassive(node(4));
    givenActive(node(1), node(3), node(2));

    feed(new LinkFailed(node(2), DownReason.HEARTBEAT_TIMEOUT));

    assertEquals(
        List.of(
            new Close(node(2)),
            new NeighborDown(node(2), DownReason.HEARTBEAT_TIMEOUT),
            new Send(node(4), new Neighbor(false)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(4)))),
        out.take());
    assertEquals(List.of(node(1), node(3)), active());
    assertEquals(List.of(node(4)), passive());
    assertEquals(Set.of(node(2)), hv.suspects());
  }

  // ---- Revival probes ----------------------------------------------------------------------

  @Test
  void shuffleTickProbesOneSuspectWithHighPriority() {
    givenActive(node(1), node(2));
    feed(new LinkFailed(node(2), DownReason.CONNECTION_LOST));
    out.take();

    fire(MembershipTimer.ShuffleTick.INSTANCE);

    assertEquals(
        List.of(
            new Schedule(SHUFFLE_INTERVAL, MembershipTimer.ShuffleTick.INSTANCE),
            new Send(node(1), new Shuffle(SELF, ARWL, List.of(SELF))),
            new Send(node(2), new Neighbor(true)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(2)))),
        out.take());
    assertEquals(Set.of(node(2)), hv.pendingNeighbors());
  }

  @Test
  void anAnsweredProbeMergesTheSuspectIntoAFullActiveViewEvictingARandomMember() {
    givenActive(node(1), node(2), node(3));
    feed(new LinkFailed(node(3), DownReason.HEARTBEAT_TIMEOUT));
    receive(node(4), new Neighbor(false)); // the free slot is taken again
    fire(MembershipTimer.ShuffleTick.INSTANCE);
    out.take();
    assertEquals(Set.of(node(3)), hv.pendingNeighbors());

    receive(node(3), new NeighborReply(true));

    assertEquals(
        List.of(
            new Send(node(4), new Disconnect(false)),
            new Close(node(4)),
            new NeighborDown(node(4), DownReason.EVICTED),
            new Connect(node(3)),
            new NeighborUp(node(3))),
        out.take());
    assertEquals(List.of(node(1), node(2), node(3)), active());
    assertEquals(Set.of(), hv.suspects());
  }

  @Test
  void aRestartedPeerAnsweringAProbeToItsOldIncarnationIsTakenAsTheAnswer() {
    givenActive(node(1), node(2));
    feed(new LinkFailed(node(2), DownReason.CONNECTION_LOST));
    fire(MembershipTimer.ShuffleTick.INSTANCE); // probes node 2#1 at its address
    out.take();
    NodeId restarted = incarnation(node(2), 2);

    receive(restarted, new NeighborReply(true));

    assertEquals(List.of(new Connect(restarted), new NeighborUp(restarted)), out.take());
    assertEquals(List.of(node(1), restarted), active());
    assertEquals(Set.of(), hv.suspects());
    assertEquals(Set.of(), hv.pendingNeighbors());
  }

  @Test
  void aJoinFromAnAlreadyActivePeerIsConfirmedAgain() {
    givenActive(node(1));

    receive(node(1), new Join());

    // It is joining again, so it may have dropped this node: tell it it is in.
    assertEquals(List.of(new Send(node(1), new Neighbor(true))), out.take());
    assertEquals(List.of(node(1)), active());
  }

  @Test
  void aNodeDownToOneNeighbourWithNobodyToAskJoinsThroughANodeItHasKnown() {
    givenActive(node(1), node(2));
    feed(new LinkFailed(node(2), DownReason.SLOW)); // not a suspect; the passive view is empty
    out.take();

    fire(MembershipTimer.ShuffleTick.INSTANCE);

    assertEquals(
        List.of(
            new Schedule(SHUFFLE_INTERVAL, MembershipTimer.ShuffleTick.INSTANCE),
            new Send(node(1), new Shuffle(SELF, ARWL, List.of(SELF))),
            new Send(node(2), new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE)),
        out.take());
  }

  @Test
  void aShortNodeWhoseNeighboursKnowNobodyElseJoinsThroughANodeItHasKnown() {
    // After a massive failure: three survivors linked to each other and to nothing else, each one
    // link short, their passive views emptied by the dead. Asking each other fills nothing.
    givenActive(node(1), node(2), node(3));
    feed(new LinkFailed(node(3), DownReason.SLOW)); // not a suspect; the passive view is empty
    out.take();

    fire(MembershipTimer.RefillTick.INSTANCE);

    // After the refill's shuffle and its "I lack a link" to both neighbours: a join round.
    assertEquals(
        List.of(
            new Send(node(3), new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE)),
        joinRound(out.take()));
  }

  @Test
  void aShortNodeWithSomebodyToAskDoesNotJoin() {
    givenPassive(node(4));
    givenActive(node(1), node(2), node(3));
    feed(new LinkFailed(node(3), DownReason.SLOW));
    out.take();
    receive(node(4), new NeighborReply(false));
    out.take();

    fire(MembershipTimer.RefillTick.INSTANCE);

    // The refusal is forgotten at the tick and node 4 asked again: no join round.
    List<Output> refill = out.take();
    assertTrue(refill.contains(new Send(node(4), new Neighbor(false))));
    assertEquals(List.of(), joinRound(refill));
  }

  @Test
  void aNodeDownToOneNeighbourWithNobodyToAskTriesTheNodesItHasKnownUntilOneAnswers() {
    givenActive(node(1), node(2), node(3));
    feed(new LinkFailed(node(3), DownReason.SLOW));
    feed(new LinkFailed(node(2), DownReason.SLOW));
    out.take();

    // Its refill tick finds nobody to ask: a join round, most recently known first.
    fire(MembershipTimer.RefillTick.INSTANCE);
    assertEquals(
        List.of(
            new Send(node(1), new Shuffle(SELF, ARWL, List.of(SELF))),
            new Send(node(1), new Neighbor(false)),
            new Send(node(3), new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE),
            new Schedule(BACKOFF_MIN, MembershipTimer.RefillTick.INSTANCE)),
        out.take());

    // A dead candidate is refused at once: the next one is tried, not one per tick.
    feed(new LinkFailed(node(3), DownReason.CONNECTION_LOST));
    assertEquals(
        List.of(
            new Send(node(2), new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE)),
        out.take());

    // The first new link ends the round.
    receive(node(2), new Neighbor(true));
    fire(MembershipTimer.JoinTick.INSTANCE);
    assertEquals(
        List.of(
            new Connect(node(2)),
            new NeighborUp(node(2)),
            new Send(node(2), new NeighborReply(true))),
        out.take());
    assertEquals(List.of(node(1), node(2)), active());
  }

  @Test
  void aSuspectHeardFromIsNoLongerProbed() {
    givenActive(node(1), node(2));
    feed(new LinkFailed(node(2), DownReason.CONNECTION_LOST));
    receive(node(2), new Shuffle(node(2), 1, List.of(node(2))));
    assertEquals(Set.of(), hv.suspects());
  }

  @Test
  void slowEvictedAndLeavingPeersAreNotSuspected() {
    givenActive(node(1), node(2), node(3));
    feed(new LinkFailed(node(2), DownReason.SLOW));
    receive(node(3), new Disconnect(true));
    receive(node(1), new Disconnect(false));
    assertEquals(Set.of(), hv.suspects());
  }

  @Test
  void anUnansweredNeighborRequestMakesTheCandidateASuspect() {
    givenPassive(node(4));
    givenActive(node(1));
    fire(MembershipTimer.ShuffleTick.INSTANCE);
    fire(new MembershipTimer.NeighborTimeout(node(4)));
    assertEquals(Set.of(node(4)), hv.suspects());
  }

  @Test
  void suspectsAreForgottenAfterTheRetention() {
    givenActive(node(1), node(2));
    feed(new LinkFailed(node(2), DownReason.CONNECTION_LOST));
    out.take();

    hv.handle(
        new TimerExpired(MembershipTimer.ShuffleTick.INSTANCE), SUSPECT_RETENTION.toNanos(), out);

    // No probe; with one neighbour and nobody left to ask, it joins through a node it has known.
    assertEquals(
        List.of(
            new Schedule(SHUFFLE_INTERVAL, MembershipTimer.ShuffleTick.INSTANCE),
            new Send(node(1), new Shuffle(SELF, ARWL, List.of(SELF))),
            new Send(node(2), new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE)),
        out.take());
    assertEquals(Set.of(), hv.suspects());
  }

  @Test
  void disconnectFromAPendingCandidateAsksAReplacement() {
    givenPassive(node(4), node(5));
    givenActive(node(1), node(2));
    fire(MembershipTimer.ShuffleTick.INSTANCE); // asks node 5 for the free slot
    out.take();

    receive(node(5), new Disconnect(false));

    assertEquals(
        List.of(
            new Send(node(4), new Neighbor(false)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(4)))),
        out.take());
  }

  @Test
  void linkFailedOfTheLastActiveMemberRefillsWithHighPriorityNeighbor() {
    givenPassive(node(4), node(5));
    givenActive(node(1));

    feed(new LinkFailed(node(1), DownReason.SLOW));

    assertEquals(
        List.of(
            new Close(node(1)),
            new NeighborDown(node(1), DownReason.SLOW),
            new Send(node(5), new Neighbor(true)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(5))),
            new Send(node(4), new Neighbor(true)),
            new Schedule(REQUEST_TIMEOUT, new MembershipTimer.NeighborTimeout(node(4)))),
        out.take());
    assertEquals(List.of(), active());
    assertEquals(List.of(node(4), node(5)), passive(), "failed peers are not kept as backups");
  }

  // ---- Shuffle -----------------------------------------------------------------------------

  @Test
  void shuffleTickReschedulesAndSendsSelfKaActiveAndKpPassiveToARandomActiveMember() {
    givenPassive(node(4), node(5), node(6));
    givenActive(node(1), node(2), node(3));

    fire(MembershipTimer.ShuffleTick.INSTANCE);

    assertEquals(
        List.of(
            new Schedule(SHUFFLE_INTERVAL, MembershipTimer.ShuffleTick.INSTANCE),
            new Send(
                node(3),
                new Shuffle(SELF, ARWL, List.of(SELF, node(1), node(2), node(4), node(5))))),
        out.take());
  }

  @Test
  void shuffleIsForwardedWithTtlMinusOneWhileTtlPositiveAndActiveViewHasMoreThanOneMember() {
    givenActive(node(1), node(2), node(3));

    // The sender is the last active member, the one ZeroRandom would pick were it allowed.
    receive(node(3), new Shuffle(node(7), 3, List.of(node(7), node(8))));

    assertEquals(
        List.of(new Send(node(2), new Shuffle(node(7), 2, List.of(node(7), node(8))))), out.take());
    assertEquals(List.of(), passive());
  }

  @Test
  void shuffleIsAcceptedWhenItsTtlRunsOut() {
    givenPassive(node(4));
    givenActive(node(1), node(2), node(3));

    receive(node(3), new Shuffle(node(7), 1, List.of(node(7), node(8))));

    assertEquals(
        List.of(new Send(node(7), new ShuffleReply(List.of(node(4), node(1))))), out.take());
    assertEquals(List.of(node(4), node(7), node(8)), passive());
  }

  @Test
  void shuffleIsAcceptedWhenActiveViewHasOnlyOneMember() {
    givenActive(node(1));

    receive(node(1), new Shuffle(node(7), ARWL, List.of(node(7), node(8))));

    assertEquals(List.of(new Send(node(7), new ShuffleReply(List.of(node(1))))), out.take());
    assertEquals(List.of(node(7), node(8)), passive());
  }

  @Test
  void shuffleWithNegativeTtlIsAcceptedNotForwarded() {
    givenActive(node(1), node(2), node(3));

    receive(node(3), new Shuffle(node(7), Integer.MIN_VALUE, List.of(node(7))));

    assertEquals(List.of(new Send(node(7), new ShuffleReply(List.of(node(1))))), out.take());
    assertEquals(List.of(node(7)), passive());
  }

  @Test
  void shuffleWithHugeTtlWalksAtMostArwlSteps() {
    givenActive(node(1), node(2), node(3));

    receive(node(3), new Shuffle(node(7), Integer.MAX_VALUE, List.of(node(7))));

    assertEquals(
        List.of(new Send(node(2), new Shuffle(node(7), ARWL - 1, List.of(node(7))))), out.take());
  }

  @Test
  void acceptedShuffleIsAnsweredToOriginWithAsManyPassiveEntriesAndIntegrationEvictsThemFirst() {
    givenPassive(node(4), node(5), node(6), node(10), node(11));
    givenActive(node(1));

    receive(node(1), new Shuffle(node(7), 1, List.of(node(7), node(8))));

    assertEquals(
        List.of(new Send(node(7), new ShuffleReply(List.of(node(4), node(5))))), out.take());
    assertEquals(List.of(node(6), node(10), node(11), node(7), node(8)), passive());
  }

  @Test
  void shuffleReplyIntegrationEvictsTheShufflesSentSampleFirst() {
    givenPassive(node(4), node(5), node(6), node(10), node(11));
    givenActive(node(1), node(2), node(3));
    fire(MembershipTimer.ShuffleTick.INSTANCE); // sends node 1, 2 (active) and 4, 5 (passive)
    out.take();

    receive(node(3), new ShuffleReply(List.of(node(20), node(21))));

    assertEquals(List.of(), out.take());
    assertEquals(List.of(node(6), node(10), node(11), node(20), node(21)), passive());
  }

  @Test
  void aShuffleReplyIsMadeUpWithActiveMembersNeitherTheOriginNorItsNodes() {
    givenPassive(node(4));
    givenActive(node(1), node(7), node(2));

    receive(node(1), new Shuffle(node(7), 1, List.of(node(7), node(1), node(9))));

    // Node 4 from the passive view, then an active member other than the origin (7) and the nodes
    // it sent (1): the origin learns of nodes it may not know, as the walk's end learnt of its.
    assertEquals(
        List.of(new Send(node(7), new ShuffleReply(List.of(node(4), node(2))))), out.take());
    assertEquals(List.of(node(4), node(9)), passive());
  }

  @Test
  void oversizeShuffleIsTruncatedToOnePlusKaPlusKp() {
    givenActive(node(1), node(2), node(3));
    List<NodeId> eight =
        List.of(node(7), node(8), node(9), node(10), node(11), node(12), node(13), node(14));

    receive(node(3), new Shuffle(node(7), 3, eight));

    assertEquals(
        List.of(new Send(node(2), new Shuffle(node(7), 2, eight.subList(0, 5)))), out.take());

    receive(node(3), new Shuffle(node(7), 1, eight));

    // An empty passive view: the active members make up the reply, up to the walk's five nodes.
    assertEquals(
        List.of(new Send(node(7), new ShuffleReply(List.of(node(1), node(2), node(3))))),
        out.take());
    assertEquals(eight.subList(0, 5), passive());
  }

  @Test
  void oversizeShuffleReplyIsTruncatedToOnePlusKaPlusKp() {
    givenActive(node(1), node(2), node(3));

    receive(
        node(1),
        new ShuffleReply(
            List.of(node(7), node(8), node(9), node(10), node(11), node(12), node(13))));

    assertEquals(List.of(), out.take());
    assertEquals(List.of(node(7), node(8), node(9), node(10), node(11)), passive());
  }

  // ---- Joining through contacts ------------------------------------------------------------

  @Test
  void joinOverlaySendsJoinToTheFirstContactWithAJoinTick() {
    feed(new JoinOverlay(List.of(CONTACT_A, CONTACT_B)));

    assertEquals(
        List.of(
            new Send(CONTACT_A, new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE)),
        out.take());
  }

  @Test
  void joinOverlayWithoutContactsStartsANewOverlayQuietly() {
    feed(new JoinOverlay(List.of()));
    fire(MembershipTimer.ShuffleTick.INSTANCE);

    assertEquals(
        List.of(new Schedule(SHUFFLE_INTERVAL, MembershipTimer.ShuffleTick.INSTANCE)), out.take());
  }

  @Test
  void joinOverlaySkipsContactsAtThisNodesOwnAddress() {
    feed(new JoinOverlay(List.of(NodeId.contact(SELF.host(), SELF.port()), CONTACT_A)));

    assertEquals(
        List.of(
            new Send(CONTACT_A, new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE)),
        out.take());
  }

  @Test
  void contactLinkFailedOrJoinTickTriesTheNextContact() {
    NodeId contactC = NodeId.contact("contact-c", 7000);
    feed(new JoinOverlay(List.of(CONTACT_A, CONTACT_B, contactC)));
    out.take();

    feed(new LinkFailed(CONTACT_A, DownReason.CONNECTION_LOST));

    assertEquals(
        List.of(
            new Send(CONTACT_B, new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE)),
        out.take());

    fire(MembershipTimer.JoinTick.INSTANCE); // contact B did not answer in time

    assertEquals(
        List.of(
            new Send(contactC, new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE)),
        out.take());
  }

  @Test
  void everyCandidateFailedGivesContactsUnreachableAndBackoffThatDoublesToTheMaxAndResets() {
    feed(new JoinOverlay(List.of(CONTACT_A, CONTACT_B)));
    feed(new LinkFailed(CONTACT_A, DownReason.CONNECTION_LOST));
    out.take();

    feed(new LinkFailed(CONTACT_B, DownReason.CONNECTION_LOST));

    assertEquals(
        List.of(
            new ContactsUnreachable(List.of(CONTACT_A, CONTACT_B)),
            new Schedule(BACKOFF_MIN, MembershipTimer.JoinTick.INSTANCE)),
        out.take());

    // Each further failed round doubles the wait, up to the maximum: 1 s, 1.5 s, 1.5 s.
    for (Duration backoff : List.of(Duration.ofSeconds(1), BACKOFF_MAX, BACKOFF_MAX)) {
      fire(MembershipTimer.JoinTick.INSTANCE); // the backoff is over: a new round
      assertEquals(
          List.of(
              new Send(CONTACT_A, new Join()),
              new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE)),
          out.take());
      fire(MembershipTimer.JoinTick.INSTANCE);
      fire(MembershipTimer.JoinTick.INSTANCE);
      assertEquals(
          List.of(
              new Send(CONTACT_B, new Join()),
              new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE),
              new ContactsUnreachable(List.of(CONTACT_A, CONTACT_B)),
              new Schedule(backoff, MembershipTimer.JoinTick.INSTANCE)),
          out.take());
    }

    // Success: contact A answers under its real id. Losing it later starts over at the minimum.
    fire(MembershipTimer.JoinTick.INSTANCE);
    NodeId contactA = new NodeId("contact-a", 7000, 9);
    receive(contactA, new Neighbor(true));
    assertEquals(
        List.of(
            new Send(CONTACT_A, new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE),
            new Connect(contactA),
            new NeighborUp(contactA),
            new Send(contactA, new NeighborReply(true)),
            new Schedule(BACKOFF_MIN, MembershipTimer.RefillTick.INSTANCE)),
        out.take());
    fire(MembershipTimer.JoinTick.INSTANCE); // the joined attempt's timer changes nothing
    assertEquals(List.of(), out.take());

    feed(new LinkFailed(contactA, DownReason.CONNECTION_LOST));
    feed(new LinkFailed(CONTACT_A, DownReason.CONNECTION_LOST));
    feed(new LinkFailed(CONTACT_B, DownReason.CONNECTION_LOST));
    assertEquals(
        List.of(
            new Close(contactA),
            new NeighborDown(contactA, DownReason.CONNECTION_LOST),
            new Send(CONTACT_A, new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE),
            new Send(CONTACT_B, new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE),
            new Send(contactA, new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE)),
        out.take());

    fire(MembershipTimer.JoinTick.INSTANCE);

    assertEquals(
        List.of(
            new ContactsUnreachable(List.of(CONTACT_A, CONTACT_B, contactA)),
            new Schedule(BACKOFF_MIN, MembershipTimer.JoinTick.INSTANCE)),
        out.take());
  }

  @Test
  void formerNeighboursAreRejoinCandidatesAfterTheContactsMostRecentFirst() {
    feed(new JoinOverlay(List.of(CONTACT_A)));
    givenActive(node(1), node(2));
    feed(new LinkFailed(node(1), DownReason.CONNECTION_LOST));
    out.take();

    feed(new LinkFailed(node(2), DownReason.CONNECTION_LOST));

    assertEquals(
        List.of(
            new Close(node(2)),
            new NeighborDown(node(2), DownReason.CONNECTION_LOST),
            new Send(CONTACT_A, new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE)),
        out.take());

    fire(MembershipTimer.JoinTick.INSTANCE);
    fire(MembershipTimer.JoinTick.INSTANCE);
    fire(MembershipTimer.JoinTick.INSTANCE);

    assertEquals(
        List.of(
            new Send(node(2), new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE),
            new Send(node(1), new Join()),
            new Schedule(REQUEST_TIMEOUT, MembershipTimer.JoinTick.INSTANCE),
            new ContactsUnreachable(List.of(CONTACT_A, node(2), node(1))),
            new Schedule(BACKOFF_MIN, MembershipTimer.JoinTick.INSTANCE)),
        out.take());
  }

  // ---- Leave -------------------------------------------------------------------------------

  @Test
  void leaveDisconnectsEveryActiveMemberWithReasonLeftAndIgnoresLaterInputs() {
    givenPassive(node(4));
    givenActive(node(1), node(2));

    feed(Leave.INSTANCE);

    assertEquals(
        List.of(
            new Send(node(1), new Disconnect(true)),
            new Close(node(1)),
            new NeighborDown(node(1), DownReason.LEFT),
            new Send(node(2), new Disconnect(true)),
            new Close(node(2)),
            new NeighborDown(node(2), DownReason.LEFT)),
        out.take());
    assertEquals(List.of(), active());
    assertEquals(List.of(), passive());

    receive(node(5), new Join());
    fire(MembershipTimer.ShuffleTick.INSTANCE);
    feed(new JoinOverlay(List.of(CONTACT_A)));
    assertEquals(List.of(), out.take());
    assertEquals(List.of(), active());
  }

  // ---- Identities --------------------------------------------------------------------------

  @Test
  void newerIncarnationAtTheSameAddressReplacesTheOlderInTheActiveView() {
    NodeId restarted = incarnation(node(2), 2);
    givenActive(node(1), node(2));

    receive(restarted, new Neighbor(false));

    assertEquals(
        List.of(
            new Close(node(2)),
            new NeighborDown(node(2), DownReason.CONNECTION_LOST),
            new Connect(restarted),
            new NeighborUp(restarted),
            new Send(restarted, new NeighborReply(true))),
        out.take());
    assertEquals(List.of(node(1), restarted), active());
  }

  @Test
  void newerIncarnationAtTheSameAddressReplacesTheOlderInThePassiveView() {
    givenPassive(node(4), node(5));
    givenActive(node(1), node(2), node(3));

    receive(node(1), new ShuffleReply(List.of(incarnation(node(4), 2))));

    assertEquals(List.of(), out.take());
    assertEquals(List.of(node(5), incarnation(node(4), 2)), passive());

    receive(node(1), new ShuffleReply(List.of(node(4)))); // the older one is not taken back
    assertEquals(List.of(node(5), incarnation(node(4), 2)), passive());
  }

  @Test
  void newerIncarnationOfAJoinerReplacesTheOlderInTheActiveView() {
    NodeId restarted = incarnation(node(2), 2);
    givenActive(node(1), node(2));

    receive(node(1), new ForwardJoin(restarted, 0));

    assertEquals(
        List.of(
            new Close(node(2)),
            new NeighborDown(node(2), DownReason.CONNECTION_LOST),
            new Connect(restarted),
            new NeighborUp(restarted),
            new Send(restarted, new Neighbor(true))),
        out.take());
    assertEquals(List.of(node(1), restarted), active());
  }

  @Test
  void anOlderIncarnationNeverEntersAViewBesideTheNewerOne() {
    NodeId restarted = incarnation(node(2), 2);
    givenActive(node(1), restarted);

    receive(node(2), new Join());
    receive(node(2), new Neighbor(true));
    receive(node(1), new ForwardJoin(node(2), 0));
    receive(node(1), new ShuffleReply(List.of(node(2))));
    receive(node(1), new Shuffle(node(2), 1, List.of(node(2))));

    assertEquals(List.of(), out.take());
    assertEquals(List.of(node(1), restarted), active());
    assertEquals(List.of(), passive());
  }

  @Test
  void aNewerIncarnationHeardOfFromOthersDoesNotEnterPassiveBesideTheActiveOne() {
    givenActive(node(1), node(2));

    receive(node(1), new ShuffleReply(List.of(incarnation(node(2), 2))));

    assertEquals(List.of(), out.take());
    assertEquals(List.of(node(1), node(2)), active());
    assertEquals(List.of(), passive());
  }

  @Test
  void selfAndContactIdsNeverEnterAView() {
    givenActive(node(1));
    NodeId contact = NodeId.contact("node-5", 7000);

    receive(SELF, new Join());
    receive(SELF, new Neighbor(true));
    receive(contact, new Join());
    receive(contact, new Neighbor(true));
    receive(node(1), new ForwardJoin(SELF, 0));
    receive(node(1), new ForwardJoin(contact, 0));
    receive(node(1), new Shuffle(SELF, 1, List.of(SELF, node(7))));
    receive(node(1), new Shuffle(contact, 1, List.of(contact, node(7))));
    receive(node(1), new ShuffleReply(List.of(SELF, contact)));
    assertEquals(List.of(), out.take());

    receive(node(1), new Shuffle(node(7), 1, List.of(node(7), SELF, contact, node(8))));

    assertEquals(List.of(new Send(node(7), new ShuffleReply(List.of(node(1))))), out.take());
    assertEquals(List.of(node(1)), active());
    assertEquals(List.of(node(7), node(8)), passive());
  }

  @Test
  void anotherIncarnationOfSelfNeverEntersAView() {
    NodeId otherSelf = incarnation(SELF, 7);
    givenActive(node(1));

    receive(otherSelf, new Join());
    receive(otherSelf, new Neighbor(true));
    receive(node(1), new ForwardJoin(otherSelf, 0));
    receive(node(1), new ShuffleReply(List.of(otherSelf)));
    receive(node(1), new Shuffle(otherSelf, 1, List.of(otherSelf)));

    assertEquals(List.of(), out.take());
    assertEquals(List.of(node(1)), active());
    assertEquals(List.of(), passive());
  }

  // ---- Helpers -----------------------------------------------------------------------------

  private void feed(Input input) {
    hv.handle(input, 0, out);
  }

  private void receive(NodeId from, Message message) {
    feed(new Received(from, message));
  }

  private void fire(Timer timer) {
    feed(new TimerExpired(timer));
  }

  /** Makes the peers active, in this order, through high-priority Neighbor requests. */
  private void givenActive(NodeId... peers) {
    for (NodeId peer : peers) {
      receive(peer, new Neighbor(true));
    }
    out.take();
    assertEquals(List.of(peers), active().subList(active().size() - peers.length, active().size()));
  }

  /** Puts the nodes into the passive view, in this order, through a ShuffleReply. */
  private void givenPassive(NodeId... nodes) {
    receive(node(99), new ShuffleReply(List.of(nodes)));
    out.take();
    assertEquals(List.of(nodes), passive());
  }

  /** The Joins and join timers among a handling's outputs. */
  private static List<Output> joinRound(List<Output> outputs) {
    return outputs.stream()
        .filter(
            o ->
                (o instanceof Send send && send.message() instanceof Join)
                    || (o instanceof Schedule schedule
                        && schedule.timer() == MembershipTimer.JoinTick.INSTANCE))
        .toList();
  }

  private List<NodeId> active() {
    return List.copyOf(hv.activeView());
  }

  private List<NodeId> passive() {
    return List.copyOf(hv.passiveView());
  }

  private static NodeId incarnation(NodeId id, long incarnation) {
    return new NodeId(id.host(), id.port(), incarnation);
  }
}
