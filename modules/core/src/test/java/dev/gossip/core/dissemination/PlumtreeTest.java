package dev.gossip.core.dissemination;

import static dev.gossip.core.testing.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gossip.core.DownReason;
import dev.gossip.core.Input;
import dev.gossip.core.MessageHistory;
import dev.gossip.core.MessageId;
import dev.gossip.core.NeighborDown;
import dev.gossip.core.NeighborUp;
import dev.gossip.core.NodeId;
import dev.gossip.core.Received;
import dev.gossip.core.Schedule;
import dev.gossip.core.Send;
import dev.gossip.core.Timer;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.heartbeat.RttMeasured;
import dev.gossip.core.message.Ack;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Graft;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.Message;
import dev.gossip.core.message.Prune;
import dev.gossip.core.message.Recovered;
import dev.gossip.core.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Exact-outbox tests of the Plumtree dissemination role, one per protocol rule: build a state by
 * feeding inputs, discard the outputs, feed one input and compare the whole outbox in order.
 */
class PlumtreeTest {

  private static final NodeId SELF = node(0);
  private static final NodeId A = node(1);
  private static final NodeId B = node(2);
  private static final NodeId C = node(3);
  private static final NodeId D = node(4);

  /** The origin of the messages this node receives; never a neighbour. */
  private static final NodeId ORIGIN = node(9);

  private static final NodeId OTHER_ORIGIN = node(10);

  private static final Duration IHAVE_INTERVAL = Duration.ofMillis(5);
  private static final Duration MAX_IHAVE_INTERVAL = Duration.ofMillis(50);
  private static final int MAX_BATCH = 4;
  private static final int THRESHOLD = 3;
  private static final long SECOND = 1_000_000_000L;

  private static final Prune PRUNE = new Prune(ORIGIN);

  private final Recorder out = new Recorder();
  private Plumtree plumtree =
      new Plumtree(SELF, settings(1_000, Duration.ofMinutes(5), 100, 1 << 20));
  private long now = 0;

  private static PlumtreeSettings settings(
      int seenCapacity, Duration seenRetention, int cacheCapacity, long cacheBytes) {
    return settings(seenCapacity, seenRetention, cacheCapacity, cacheBytes, Duration.ofSeconds(30));
  }

  private static PlumtreeSettings settings(
      int seenCapacity,
      Duration seenRetention,
      int cacheCapacity,
      long cacheBytes,
      Duration cacheRetention) {
    return new PlumtreeSettings(
        IHAVE_INTERVAL,
        MAX_IHAVE_INTERVAL,
        MAX_BATCH,
        THRESHOLD,
        seenCapacity,
        seenRetention,
        cacheCapacity,
        cacheBytes,
        cacheRetention);
  }

  private static MessageId id(int sequence) {
    return new MessageId(ORIGIN, sequence);
  }

  private static byte[] payload(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i + length);
    }
    return bytes;
  }

  private void feed(Input input) {
    plumtree.handle(input, now, out);
  }

  /** The flush a lazy peer's new batch schedules, before any heartbeat measured its link. */
  private static Schedule flushing(NodeId peer) {
    return new Schedule(IHAVE_INTERVAL, new IHaveFlush(peer));
  }

  /** Every neighbour's flush timer expires. */
  private void flushAll() {
    for (NodeId peer : List.of(A, B, C, D)) {
      feed(new TimerExpired(new IHaveFlush(peer)));
    }
  }

  private static Received from(NodeId peer, Message message) {
    return new Received(peer, message);
  }

  private static IHave ihave(Announcement... announcements) {
    return new IHave(List.of(announcements));
  }

  /**
   * Neighbours {@code eager} then {@code lazy}; the lazy ones are made lazy by their Prunes, for
   * every origin these tests use. With a lazy one, this node's own tree starts as a copy of {@code
   * OTHER_ORIGIN}'s, which its first broadcasts name as their template.
   */
  private void given(List<NodeId> eager, List<NodeId> lazy) {
    for (NodeId peer : eager) {
      feed(new NeighborUp(peer));
    }
    for (NodeId peer : lazy) {
      feed(new NeighborUp(peer));
      for (NodeId origin : List.of(ORIGIN, OTHER_ORIGIN, SELF)) {
        feed(from(peer, new Prune(origin)));
      }
    }
    out.take();
    assertEquals(Set.copyOf(eager), plumtree.eagerPeers());
    assertEquals(Set.copyOf(lazy), plumtree.lazyPeers());
  }

  /** The split of {@code ORIGIN}'s tree, the origin of the messages these tests receive. */
  private void assertPeers(List<NodeId> eager, List<NodeId> lazy) {
    assertEquals(eager, List.copyOf(plumtree.eagerPeers(ORIGIN)), "eager peers");
    assertEquals(lazy, List.copyOf(plumtree.lazyPeers(ORIGIN)), "lazy peers");
  }

  /** The split over every origin: eager for one of them, or lazy for all. */
  private void assertUnionPeers(List<NodeId> eager, List<NodeId> lazy) {
    assertEquals(eager, List.copyOf(plumtree.eagerPeers()), "eager peers");
    assertEquals(lazy, List.copyOf(plumtree.lazyPeers()), "lazy peers");
  }

  // ---- membership -------------------------------------------------------------------------

  @Test
  void neighborUpPutsTheNewPeerInTheEagerSet() {
    given(List.of(A), List.of());

    feed(new NeighborUp(B));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A, B), List.of());
  }

  @Test
  void repeatedNeighborUpOfALazyPeerKeepsItLazy() {
    given(List.of(A), List.of(C));

    feed(new NeighborUp(C));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A), List.of(C));
  }

  @Test
  void neighborDownRemovesThePeerFromBothSetsAndDropsItsQueuedAnnouncements() {
    given(List.of(A, B), List.of(C, D));
    feed(new Broadcast(payload(3)));
    out.take();
    assertEquals(2, plumtree.queuedAnnouncements());

    feed(new NeighborDown(C, DownReason.CONNECTION_LOST));
    feed(new NeighborDown(A, DownReason.HEARTBEAT_TIMEOUT));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(B), List.of(D));
    assertEquals(1, plumtree.queuedAnnouncements());
    flushAll();
    assertEquals(
        List.of(new Send(D, ihave(new Announcement(new MessageId(SELF, 1), 1)))), out.take());
  }

  // ---- broadcast and eager push -----------------------------------------------------------

  @Test
  void broadcastDeliversAtHopsZeroPushesRoundOneToEagerPeersAndSchedulesAFlushPerLazyPeer() {
    given(List.of(A, B), List.of(C, D));
    byte[] first = payload(5);
    byte[] second = payload(6);

    feed(new Broadcast(first));

    MessageId id1 = new MessageId(SELF, 1);
    assertEquals(
        List.of(
            new Delivered(id1, SELF, 0, first),
            new Send(A, new Gossip(id1, 1, first, false, OTHER_ORIGIN)),
            new Send(B, new Gossip(id1, 1, first, false, OTHER_ORIGIN)),
            flushing(C),
            flushing(D)),
        out.take());
    assertEquals(2, plumtree.queuedAnnouncements());

    // The next broadcast takes the next sequence; the pending flush is not scheduled again.
    feed(new Broadcast(second));

    MessageId id2 = new MessageId(SELF, 2);
    assertEquals(
        List.of(
            new Delivered(id2, SELF, 0, second),
            new Send(A, new Gossip(id2, 1, second, false, OTHER_ORIGIN)),
            new Send(B, new Gossip(id2, 1, second, false, OTHER_ORIGIN))),
        out.take());
    assertEquals(4, plumtree.queuedAnnouncements());
    assertPeers(List.of(A, B), List.of(C, D));
  }

  @Test
  void broadcastMethodReturnsTheIdItDelivered() {
    given(List.of(A), List.of());
    byte[] bytes = payload(2);

    MessageId id = plumtree.broadcast(bytes, now, out);

    assertEquals(new MessageId(SELF, 1), id);
    assertEquals(
        List.of(new Delivered(id, SELF, 0, bytes), new Send(A, new Gossip(id, 1, bytes))),
        out.take());
  }

  @Test
  void firstReceiptDeliversForwardsEagerlyWithRoundPlusOneAndQueuesIHaveForLazyPeers() {
    given(List.of(A, B, C), List.of(D));
    byte[] bytes = payload(4);

    feed(from(B, new Gossip(id(1), 3, bytes)));

    assertEquals(
        List.of(
            new Delivered(id(1), B, 3, bytes),
            new Send(A, new Gossip(id(1), 4, bytes)),
            new Send(C, new Gossip(id(1), 4, bytes)),
            flushing(D)),
        out.take());
    assertPeers(List.of(A, B, C), List.of(D));
    assertEquals(1, plumtree.queuedAnnouncements());
    MessageHistory.Entry cached = plumtree.cache().get(id(1));
    assertEquals(3, cached.round());
    assertEquals(1, plumtree.seenCount());

    flushAll();
    assertEquals(List.of(new Send(D, ihave(new Announcement(id(1), 4)))), out.take());
  }

  @Test
  void firstReceiptFromALazyPeerMovesItToTheEagerSet() {
    given(List.of(A), List.of(C));
    byte[] bytes = payload(4);

    feed(from(C, new Gossip(id(1), 2, bytes)));

    assertEquals(
        List.of(new Delivered(id(1), C, 2, bytes), new Send(A, new Gossip(id(1), 3, bytes))),
        out.take());
    assertPeers(List.of(A, C), List.of());
    assertEquals(0, plumtree.queuedAnnouncements());
  }

  /**
   * Documents the current behaviour: a Gossip still in flight from a peer that is no longer (or not
   * yet) a neighbour is delivered and forwarded, but the sender does not join either set.
   */
  @Test
  void firstReceiptFromANonNeighbourIsDeliveredWithoutAddingTheSender() {
    given(List.of(A), List.of());
    byte[] bytes = payload(4);

    feed(from(D, new Gossip(id(1), 2, bytes)));

    assertEquals(
        List.of(new Delivered(id(1), D, 2, bytes), new Send(A, new Gossip(id(1), 3, bytes))),
        out.take());
    assertPeers(List.of(A), List.of());
  }

  @Test
  void duplicateFromAnEagerPeerSendsPruneAndMovesItToTheLazySet() {
    given(List.of(A, B), List.of());
    byte[] bytes = payload(4);
    feed(from(A, new Gossip(id(1), 2, bytes)));
    out.take();

    feed(from(B, new Gossip(id(1), 2, bytes)));

    assertEquals(List.of(new Send(B, PRUNE)), out.take());
    assertPeers(List.of(A), List.of(B));
    assertEquals(1, plumtree.duplicates());
  }

  /** Message {@code sequence} from {@code first}, then its copy from {@code duplicate}. */
  private List<?> firstThenDuplicate(NodeId first, NodeId duplicate, int sequence) {
    return firstThenDuplicate(first, duplicate, sequence, ORIGIN);
  }

  private List<?> firstThenDuplicate(NodeId first, NodeId duplicate, int sequence, NodeId origin) {
    deliver(first, origin, sequence);
    feed(from(duplicate, new Gossip(new MessageId(origin, sequence), 2, payload(4))));
    return out.take();
  }

  /** Message {@code sequence} of {@code origin} from {@code peer}, its first copy here. */
  private void deliver(NodeId peer, NodeId origin, int sequence) {
    feed(from(peer, new Gossip(new MessageId(origin, sequence), 2, payload(4))));
    out.take();
  }

  // ---- a tree per origin -------------------------------------------------------------------

  /**
   * Neighbours A, B and C; ORIGIN's tree has B lazy, OTHER_ORIGIN's (a copy of it, then B grafted
   * back) has C lazy and is the most recently used.
   */
  private void givenTwoTrees() {
    given(List.of(A, B, C), List.of());
    feed(from(B, new Prune(ORIGIN)));
    feed(from(B, new Graft(OTHER_ORIGIN, List.of())));
    feed(from(C, new Prune(OTHER_ORIGIN)));
  }

  @Test
  void aDuplicatePrunesTheLinkForItsOriginOnly() {
    given(List.of(A, B), List.of());
    deliver(B, OTHER_ORIGIN, 1);

    assertEquals(List.of(new Send(B, PRUNE)), firstThenDuplicate(A, B, 1));
    assertPeers(List.of(A), List.of(B));
    assertEquals(Set.of(A, B), plumtree.eagerPeers(OTHER_ORIGIN));
    assertUnionPeers(List.of(A, B), List.of());

    MessageId other = new MessageId(OTHER_ORIGIN, 2);
    byte[] bytes = payload(4);
    feed(from(A, new Gossip(other, 2, bytes)));
    assertEquals(
        List.of(new Delivered(other, A, 2, bytes), new Send(B, new Gossip(other, 3, bytes))),
        out.take());
  }

  @Test
  void aPeerPrunedForEveryOriginIsLazy() {
    given(List.of(A, B), List.of());
    deliver(A, OTHER_ORIGIN, 1);
    firstThenDuplicate(A, B, 1);
    assertUnionPeers(List.of(A, B), List.of());

    feed(from(B, new Prune(OTHER_ORIGIN)));

    assertUnionPeers(List.of(A), List.of(B));
  }

  @Test
  void aPeerIsLazyWhileLazyInEveryTreeAndEagerAgainAfterALinkDown() {
    given(List.of(A, B), List.of());
    feed(from(B, new Prune(ORIGIN)));
    deliver(A, OTHER_ORIGIN, 1); // a copy of ORIGIN's split: B lazy there too
    assertUnionPeers(List.of(A), List.of(B));
    assertEquals(1, plumtree.lazyPeerCount());

    feed(from(B, new Graft(OTHER_ORIGIN, List.of())));
    assertUnionPeers(List.of(A, B), List.of());

    feed(from(B, new Prune(OTHER_ORIGIN)));
    feed(new NeighborDown(B, DownReason.CONNECTION_LOST));
    feed(new NeighborUp(B));
    assertUnionPeers(List.of(A, B), List.of());
    assertEquals(Set.of(A, B), plumtree.eagerPeers(OTHER_ORIGIN));
    assertEquals(2, plumtree.eagerPeerCount());
  }

  @Test
  void withNoTreeYetAnOriginsFirstMessageIsPushedOverEveryLink() {
    given(List.of(A, B), List.of());
    MessageId fresh = new MessageId(node(11), 1);
    byte[] bytes = payload(4);

    feed(from(A, new Gossip(fresh, 2, bytes)));

    assertEquals(
        List.of(new Delivered(fresh, A, 2, bytes), new Send(B, new Gossip(fresh, 3, bytes))),
        out.take());
  }

  @Test
  void aNewOriginsTreeStartsAsACopyOfTheMostRecentlyUsedOne() {
    given(List.of(A, B, C), List.of());
    feed(from(B, new Prune(ORIGIN)));
    feed(from(B, new Graft(OTHER_ORIGIN, List.of()))); // a copy of ORIGIN's, then B is eager
    feed(from(C, new Prune(OTHER_ORIGIN)));
    MessageId fresh = new MessageId(node(11), 1);
    byte[] bytes = payload(4);

    feed(from(A, new Gossip(fresh, 2, bytes)));

    assertEquals(
        List.of(
            new Delivered(fresh, A, 2, bytes),
            new Send(B, new Gossip(fresh, 3, bytes)),
            flushing(C)),
        out.take());
    assertEquals(Set.of(C), plumtree.lazyPeers(node(11)));
    flushAll();
    assertEquals(List.of(new Send(C, ihave(new Announcement(fresh, 3)))), out.take());
  }

  @Test
  void aNewOriginsTreeStartsAsACopyOfTheTemplateItsGossipNamesAndPassesTheNameOn() {
    givenTwoTrees();
    NodeId fresh = node(11);
    MessageId first = new MessageId(fresh, 1);
    byte[] bytes = payload(4);

    feed(from(A, new Gossip(first, 2, bytes, false, ORIGIN)));

    assertEquals(
        List.of(
            new Delivered(first, A, 2, bytes),
            flushing(B),
            new Send(C, new Gossip(first, 3, bytes, false, ORIGIN))),
        out.take());
    assertEquals(Set.of(B), plumtree.lazyPeers(fresh));
  }

  @Test
  void aTemplateWithoutATreeHereFallsBackToTheMostRecentlyUsedOne() {
    given(List.of(A, B, C), List.of());
    feed(from(C, new Prune(OTHER_ORIGIN)));
    MessageId first = new MessageId(node(11), 1);
    byte[] bytes = payload(4);

    feed(from(A, new Gossip(first, 2, bytes, false, node(12))));

    assertEquals(
        List.of(
            new Delivered(first, A, 2, bytes),
            new Send(B, new Gossip(first, 3, bytes, false, node(12))),
            flushing(C)),
        out.take());
    assertEquals(Set.of(C), plumtree.lazyPeers(node(11)));
  }

  @Test
  void anOriginNamesTheTreeItsOwnCopiedInItsFirstBroadcastsOnly() {
    given(List.of(A, B), List.of());
    feed(from(B, new Prune(ORIGIN))); // ORIGIN, most recent: B lazy
    byte[] bytes = payload(4);

    for (int i = 1; i <= Plumtree.TEMPLATE_BROADCASTS; i++) {
      MessageId id = plumtree.broadcast(bytes, now, out);
      assertEquals(new Send(A, new Gossip(id, 1, bytes, false, ORIGIN)), out.take().get(1));
    }
    MessageId later = plumtree.broadcast(bytes, now, out);

    assertEquals(new Send(A, new Gossip(later, 1, bytes)), out.take().get(1));
    assertEquals(Set.of(B), plumtree.lazyPeers(SELF));
  }

  @Test
  void aMissingMessageOfAnOriginWithoutATreeIsGraftedAndTheAnswerTakesItsTemplate() {
    givenTwoTrees();
    NodeId fresh = node(11);
    MessageId first = new MessageId(fresh, 1);
    byte[] bytes = payload(4);

    feed(new RequestGraft(first, A));

    assertEquals(List.of(new Send(A, Graft.of(first))), out.take());
    assertEquals(0, plumtree.lazyPeers(fresh).size());
    assertEquals(2, plumtree.trackedOrigins());

    feed(from(A, new Gossip(first, 2, bytes, false, ORIGIN)));

    assertEquals(Set.of(B), plumtree.lazyPeers(fresh));
  }

  @Test
  void aTemplateNamedByALaterBroadcastOrForAnOriginWithATreeIsIgnored() {
    givenTwoTrees();
    NodeId fresh = node(11);
    byte[] bytes = payload(4);
    MessageId later = new MessageId(fresh, Plumtree.TEMPLATE_BROADCASTS + 1);

    feed(from(A, new Gossip(later, 2, bytes, false, ORIGIN)));

    assertEquals(
        List.of(
            new Delivered(later, A, 2, bytes),
            new Send(B, new Gossip(later, 3, bytes)),
            flushing(C)),
        out.take());
    assertEquals(Set.of(C), plumtree.lazyPeers(fresh));

    feed(from(A, new Gossip(new MessageId(fresh, 1), 2, bytes, false, ORIGIN)));
    assertEquals(Set.of(C), plumtree.lazyPeers(fresh));
  }

  @Test
  void aGraftForAnOriginsFirstMessagesIsAnsweredWithTheTemplateItsGossipNamed() {
    given(List.of(A, C), List.of());
    feed(from(C, new Prune(OTHER_ORIGIN)));
    MessageId first = new MessageId(node(11), 1);
    byte[] bytes = payload(4);
    feed(from(A, new Gossip(first, 2, bytes, false, node(12)))); // no tree of node(12) here
    out.take();

    feed(from(C, new Graft(node(11), List.of(first))));

    assertEquals(List.of(new Send(C, new Gossip(first, 3, bytes, false, node(12)))), out.take());
  }

  @Test
  void aGraftRejoinsTheTreeOfItsOriginOnly() {
    given(List.of(A), List.of(C));

    feed(from(C, new Graft(OTHER_ORIGIN, List.of())));

    assertEquals(List.of(), out.take());
    assertEquals(Set.of(A, C), plumtree.eagerPeers(OTHER_ORIGIN));
    assertEquals(Set.of(A), plumtree.eagerPeers(ORIGIN));
  }

  @Test
  void theLeastRecentlyUsedOriginsTreeIsForgotten() {
    given(List.of(A, B), List.of());
    NodeId forgotten = node(100);
    feed(from(B, new Prune(forgotten)));
    for (int i = 0; i < Plumtree.MAX_TRACKED - 1; i++) {
      deliver(A, node(1_000 + i), 1);
    }
    assertEquals(Plumtree.MAX_TRACKED, plumtree.trackedOrigins());
    assertEquals(Set.of(B), plumtree.lazyPeers(forgotten));

    deliver(A, node(1), 1);

    assertEquals(Plumtree.MAX_TRACKED, plumtree.trackedOrigins());
    assertEquals(Set.of(), plumtree.lazyPeers(forgotten));
    // B is lazy in every tree left (each a copy of the forgotten one), so still a lazy peer.
    assertUnionPeers(List.of(A), List.of(B));
    assertEquals(1, plumtree.lazyPeerCount());
  }

  @Test
  void oncePeersFillTheTreesAPruneOrAGraftForAnUnknownOriginEvictsNone() {
    given(List.of(A, B), List.of());
    for (int i = 0; i < Plumtree.MAX_TRACKED; i++) {
      feed(from(B, new Prune(node(1_000 + i))));
    }
    NodeId madeUp = node(77);

    feed(from(B, new Prune(madeUp)));
    feed(from(B, new Graft(madeUp, List.of(new MessageId(madeUp, 1)))));

    assertEquals(List.of(), out.take());
    assertEquals(Plumtree.MAX_TRACKED, plumtree.trackedOrigins());
    assertEquals(Set.of(B), plumtree.lazyPeers(node(1_000)));
    assertEquals(Set.of(), plumtree.lazyPeers(madeUp));
  }

  @Test
  void readingTheTreesDoesNotChangeWhichOneIsForgotten() {
    given(List.of(A, B), List.of());
    NodeId kept = node(100);
    feed(from(B, new Prune(kept)));
    for (int i = 0; i < Plumtree.MAX_TRACKED - 1; i++) {
      deliver(A, node(1_000 + i), 1);
      plumtree.lazyPeers(kept);
      plumtree.eagerPeers(kept);
    }
    deliver(A, node(1), 1);
    assertEquals(Set.of(), plumtree.lazyPeers(kept));
  }

  // ---- lazy push ---------------------------------------------------------------------------

  @Test
  void iHaveForUnknownIdsFromANeighbourAnnouncesEachWithItsRound() {
    given(List.of(A), List.of(C));

    feed(from(C, ihave(new Announcement(id(1), 2), new Announcement(id(2), 5))));

    assertEquals(List.of(new Announced(id(1), C, 2), new Announced(id(2), C, 5)), out.take());
    assertPeers(List.of(A), List.of(C));
  }

  @Test
  void iHaveOfAnOriginWhoseTreeHasNoEagerPeerHereAnnouncesItCutOff() {
    // Every neighbour lazy in the origin's tree: no eager copy is on its way, recovery grafts now.
    given(List.of(), List.of(A, C));

    feed(from(C, ihave(new Announcement(id(1), 2), new Announcement(new MessageId(D, 1), 3))));

    assertEquals(
        List.of(new Announced(id(1), C, 2, true), new Announced(new MessageId(D, 1), C, 3)),
        out.take());
  }

  @Test
  void iHaveOfAnOriginWithOneEagerPeerLeftIsNotCutOff() {
    given(List.of(B), List.of(A, C));

    feed(from(C, ihave(new Announcement(id(1), 2))));

    assertEquals(List.of(new Announced(id(1), C, 2, false)), out.take());
  }

  @Test
  void iHaveFromANonNeighbourIsIgnored() {
    given(List.of(A), List.of(C));

    feed(from(D, ihave(new Announcement(id(1), 2))));
    feed(from(SELF, ihave(new Announcement(id(2), 2))));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A), List.of(C));
  }

  @Test
  void iHaveLongerThanMaxIHaveBatchIsTruncated() {
    given(List.of(A), List.of(C));
    List<Announcement> flood = new ArrayList<>();
    for (int i = 1; i <= MAX_BATCH + 2; i++) {
      flood.add(new Announcement(id(i), i));
    }

    feed(from(C, new IHave(flood)));

    assertEquals(
        List.of(
            new Announced(id(1), C, 1),
            new Announced(id(2), C, 2),
            new Announced(id(3), C, 3),
            new Announced(id(4), C, 4)),
        out.take());
  }

  @Test
  void iHaveForADeliveredIdAnnouncesNothing() {
    given(List.of(A), List.of(C));
    feed(from(A, new Gossip(id(1), 2, payload(1))));
    out.take();

    feed(from(C, ihave(new Announcement(id(1), 2))));
    feed(from(A, ihave(new Announcement(id(1), 0))));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A), List.of(C));
  }

  @Test
  void iHaveFlushSendsOneIHavePerLazyPeerWithTheBatchedAnnouncementsInOrder() {
    given(List.of(A), List.of(C, D));
    feed(from(A, new Gossip(id(1), 2, payload(1))));
    feed(new Broadcast(payload(2)));
    feed(from(A, new Gossip(id(2), 7, payload(3))));
    out.take();
    assertEquals(6, plumtree.queuedAnnouncements());

    flushAll();

    IHave batch =
        ihave(
            new Announcement(id(1), 3),
            new Announcement(new MessageId(SELF, 1), 1),
            new Announcement(id(2), 8));
    assertEquals(List.of(new Send(C, batch), new Send(D, batch)), out.take());
    assertEquals(0, plumtree.queuedAnnouncements());

    // The queue is empty: a second expiry sends nothing, and the next announcement reschedules.
    flushAll();
    assertEquals(List.of(), out.take());
    byte[] next = payload(1);
    feed(from(A, new Gossip(id(3), 1, next)));
    assertEquals(List.of(new Delivered(id(3), A, 1, next), flushing(C), flushing(D)), out.take());
  }

  @Test
  void aBatchReachingMaxIHaveBatchIsSentAtOnce() {
    given(List.of(), List.of(C));
    byte[] bytes = payload(1);
    for (int i = 1; i < MAX_BATCH; i++) {
      feed(new Broadcast(bytes));
    }
    out.take();
    assertEquals(MAX_BATCH - 1, plumtree.queuedAnnouncements());

    feed(new Broadcast(bytes));

    List<Announcement> full = new ArrayList<>();
    for (int i = 1; i <= MAX_BATCH; i++) {
      full.add(new Announcement(new MessageId(SELF, i), 1));
    }
    assertEquals(
        List.of(
            new Delivered(new MessageId(SELF, MAX_BATCH), SELF, 0, bytes),
            new Send(C, new IHave(full))),
        out.take());
    assertEquals(0, plumtree.queuedAnnouncements());
    flushAll();
    assertEquals(List.of(), out.take());
  }

  @Test
  void aLazyPeersBatchWaitsItsLinksRoundTripWithinTheBounds() {
    given(List.of(A), List.of(B, C, D));
    byte[] bytes = payload(1);
    feed(new RttMeasured(B, Duration.ofMillis(30), Duration.ofMillis(20)));
    // The latest sample when it is lower: queues that inflated the smoothed one have drained.
    feed(new RttMeasured(C, Duration.ofMillis(12), Duration.ofMillis(40)));
    feed(new RttMeasured(D, Duration.ofMillis(900), Duration.ofMillis(400)));
    // A non-neighbour's round trip is not kept for when it becomes one.
    feed(new RttMeasured(node(7), Duration.ofMillis(20), Duration.ofMillis(20)));
    assertEquals(List.of(), out.take());

    feed(from(A, new Gossip(id(1), 1, bytes)));

    assertEquals(
        List.of(
            new Delivered(id(1), A, 1, bytes),
            new Schedule(Duration.ofMillis(20), new IHaveFlush(B)),
            new Schedule(Duration.ofMillis(12), new IHaveFlush(C)),
            new Schedule(MAX_IHAVE_INTERVAL, new IHaveFlush(D))),
        out.take());
    // Below ihave-interval, B's next batch waits that.
    feed(new RttMeasured(B, Duration.ofMillis(1), Duration.ofMillis(3)));
    feed(new TimerExpired(new IHaveFlush(B)));
    feed(new NeighborUp(node(7)));
    feed(from(node(7), new Prune(ORIGIN)));
    out.take();
    feed(from(A, new Gossip(id(2), 1, bytes)));
    assertEquals(
        List.of(
            new Delivered(id(2), A, 1, bytes),
            new Schedule(IHAVE_INTERVAL, new IHaveFlush(B)),
            new Schedule(IHAVE_INTERVAL, new IHaveFlush(node(7)))),
        out.take());
  }

  @Test
  void aMostBelowTheLeastKeepsEveryBatchAtTheLeast() {
    Duration least = Duration.ofMillis(20);
    PlumtreeSettings d = PlumtreeSettings.defaults();
    plumtree =
        new Plumtree(
            SELF,
            new PlumtreeSettings(
                least,
                Duration.ofMillis(10),
                MAX_BATCH,
                THRESHOLD,
                d.seenCapacity(),
                d.seenRetention(),
                d.cacheCapacity(),
                d.cacheBytes(),
                d.cacheRetention()));
    given(List.of(A), List.of(C, D));
    byte[] bytes = payload(1);
    feed(new RttMeasured(C, Duration.ofMillis(30), Duration.ofMillis(30)));
    feed(new RttMeasured(D, Duration.ofMillis(1), Duration.ofMillis(1)));

    feed(from(A, new Gossip(id(1), 1, bytes)));

    assertEquals(
        List.of(
            new Delivered(id(1), A, 1, bytes),
            new Schedule(least, new IHaveFlush(C)),
            new Schedule(least, new IHaveFlush(D))),
        out.take());
  }

  @Test
  void eachLazyPeersFlushSendsItsOwnBatchOnly() {
    given(List.of(A), List.of(C, D));
    byte[] bytes = payload(1);
    feed(from(A, new Gossip(id(1), 1, bytes)));
    out.take();

    feed(new TimerExpired(new IHaveFlush(C)));

    assertEquals(List.of(new Send(C, ihave(new Announcement(id(1), 2)))), out.take());
    assertEquals(1, plumtree.queuedAnnouncements());
    // The next announcement starts a new batch for C, with its own flush; D's batch grows.
    feed(from(A, new Gossip(id(2), 1, bytes)));
    assertEquals(List.of(new Delivered(id(2), A, 1, bytes), flushing(C)), out.take());
    feed(new TimerExpired(new IHaveFlush(D)));
    assertEquals(
        List.of(new Send(D, ihave(new Announcement(id(1), 2), new Announcement(id(2), 2)))),
        out.take());
  }

  @Test
  void aNeighbourGoingDownForgetsItsRoundTrip() {
    given(List.of(A), List.of(C));
    byte[] bytes = payload(1);
    feed(new RttMeasured(C, Duration.ofMillis(30), Duration.ofMillis(30)));
    feed(new NeighborDown(C, DownReason.CONNECTION_LOST));
    feed(new NeighborUp(C));
    feed(from(C, new Prune(ORIGIN)));
    out.take();

    feed(from(A, new Gossip(id(1), 1, bytes)));

    assertEquals(List.of(new Delivered(id(1), A, 1, bytes), flushing(C)), out.take());
  }

  // ---- optimisation (section 3.8) ----------------------------------------------------------

  @Test
  void optimisationGraftsTheLazyAnnouncerAndPrunesTheEagerSenderAtExactlyTheThreshold() {
    given(List.of(A, B), List.of(C));
    feed(from(A, new Gossip(id(1), 5, payload(1))));
    out.take();

    feed(from(C, ihave(new Announcement(id(1), 5 - THRESHOLD))));

    assertEquals(
        List.of(new Send(C, new Graft(ORIGIN, List.of())), new Send(A, PRUNE)), out.take());
    assertPeers(List.of(B, C), List.of(A));
  }

  @Test
  void optimisationRewiresOnlyItsOriginsTree() {
    given(List.of(A, B), List.of(C));
    feed(from(A, new Gossip(id(1), 5, payload(1))));
    out.take();

    feed(from(C, ihave(new Announcement(id(1), 5 - THRESHOLD))));

    out.take();
    assertEquals(Set.of(A, B), plumtree.eagerPeers(OTHER_ORIGIN));
    assertEquals(Set.of(C), plumtree.lazyPeers(OTHER_ORIGIN));
  }

  @Test
  void optimisationDoesNotFireOneRoundBelowTheThreshold() {
    given(List.of(A, B), List.of(C));
    feed(from(A, new Gossip(id(1), 5, payload(1))));
    out.take();

    feed(from(C, ihave(new Announcement(id(1), 5 - THRESHOLD + 1))));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A, B), List.of(C));
  }

  @Test
  void optimisationRewiresTheDeliveryToTheShorterPathOnlyOnce() {
    given(List.of(A, B), List.of(C, D));
    feed(from(A, new Gossip(id(1), 9, payload(1))));
    feed(from(C, ihave(new Announcement(id(1), 5))));
    out.take();

    // The delivery now counts as round 5 via C: a round-3 IHave is not shorter by the threshold.
    feed(from(D, ihave(new Announcement(id(1), 3))));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(B, C), List.of(D, A));
  }

  @Test
  void anEarlierAnnouncementShorterByTheThresholdRewiresTheTreeAsAtFirstReceipt() {
    given(List.of(A, B), List.of(C));
    feed(from(A, new Gossip(id(1), 5, payload(1))));
    out.take();

    // Recovery reports that C had announced the message THRESHOLD rounds sooner.
    feed(new EarlierAnnouncement(id(1), C, 5 - THRESHOLD));

    assertEquals(
        List.of(new Send(C, new Graft(ORIGIN, List.of())), new Send(A, PRUNE)), out.take());
    assertPeers(List.of(B, C), List.of(A));
  }

  @Test
  void anEarlierAnnouncementBelowTheThresholdOrForAnUnknownIdChangesNothing() {
    given(List.of(A, B), List.of(C));
    feed(from(A, new Gossip(id(1), 5, payload(1))));
    out.take();

    feed(new EarlierAnnouncement(id(1), C, 5 - THRESHOLD + 1));
    feed(new EarlierAnnouncement(id(2), C, 1));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A, B), List.of(C));
  }

  /**
   * A message caught up by anti-entropy did not arrive over an eager link, so a shorter lazy path
   * must not prune the link it was resent on (Recovered exists so catching up never prunes the
   * tree).
   */
  @Test
  void recoveredDeliveryIsNotAnEagerPathForTheOptimisation() {
    given(List.of(A, B), List.of(C));
    feed(from(A, new Recovered(id(1), 9, payload(1))));
    out.take();

    feed(from(C, ihave(new Announcement(id(1), 1))));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A, B), List.of(C));
  }

  @Test
  void aMessageWithAnImpossibleRoundIsDropped() {
    given(List.of(A, B), List.of(C));

    feed(from(A, new Gossip(id(1), -1, payload(1))));
    feed(from(A, new Gossip(id(2), Plumtree.MAX_ROUND + 1, payload(1))));
    feed(from(C, ihave(new Announcement(id(3), Integer.MIN_VALUE))));
    feed(from(B, new Recovered(id(4), Integer.MAX_VALUE, payload(1))));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A, B), List.of(C));
  }

  // ---- This node's own messages ------------------------------------------------------------

  @Test
  void anUnsentSequenceOfThisNodeFromAPeerIsNeverDeliveredNorAnnounced() {
    given(List.of(A), List.of(C));
    MessageId forged = new MessageId(SELF, 7);

    feed(from(A, new Gossip(forged, 3, payload(1))));
    feed(from(C, ihave(new Announcement(forged, 2))));
    feed(from(C, new Recovered(forged, 2, payload(1))));

    assertEquals(List.of(), out.take());
    // The next broadcast still gets its own sequence delivered.
    assertEquals(new MessageId(SELF, 1), plumtree.broadcast(payload(2), 0, out));
  }

  @Test
  void anOwnBroadcastWhoseIdWasForgottenIsStillADuplicate() {
    Plumtree forgetful = new Plumtree(SELF, settings(1, Duration.ofMinutes(5), 100, 1 << 20));
    forgetful.handle(new NeighborUp(A), 0, out);
    MessageId first = forgetful.broadcast(payload(1), 0, out);
    forgetful.broadcast(payload(2), 0, out); // evicts the first id from the seen set
    out.take();

    forgetful.handle(from(A, new Gossip(first, 4, payload(1))), 0, out);

    assertEquals(List.of(new Send(A, new Prune(SELF))), out.take());
  }

  // ---- Graft and Prune ---------------------------------------------------------------------

  @Test
  void graftMovesTheSenderToEagerAndResendsCachedPayloadsWithTheCachedRoundPlusOne() {
    given(List.of(A), List.of(C));
    byte[] received = payload(3);
    byte[] own = payload(4);
    feed(from(A, new Gossip(id(1), 3, received)));
    feed(new Broadcast(own));
    out.take();

    MessageId ownId = new MessageId(SELF, 1);
    feed(from(C, new Graft(ORIGIN, List.of(id(1), id(2)))));
    feed(from(C, new Graft(SELF, List.of(ownId))));

    assertEquals(
        List.of(
            new Send(C, new Gossip(id(1), 4, received)),
            new Send(C, new Gossip(ownId, 1, own, false, OTHER_ORIGIN))),
        out.take());
    assertPeers(List.of(A, C), List.of());
    assertEquals(Set.of(A, C), plumtree.eagerPeers(SELF));
    assertEquals(Set.of(C), plumtree.lazyPeers(OTHER_ORIGIN));
  }

  @Test
  void graftOfAnUncachedIdOnlyMovesTheSender() {
    given(List.of(A), List.of(C));

    feed(from(C, new Graft(ORIGIN, List.of(id(7)))));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A, C), List.of());
  }

  @Test
  void graftFromANonNeighbourIsIgnored() {
    given(List.of(A), List.of(C));
    feed(from(A, new Gossip(id(1), 1, payload(1))));
    out.take();

    feed(from(D, new Graft(ORIGIN, List.of(id(1)))));
    feed(from(SELF, new Graft(ORIGIN, List.of(id(1)))));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A), List.of(C));
  }

  @Test
  void graftListLongerThanMaxIHaveBatchIsTruncated() {
    given(List.of(A), List.of(C));
    List<MessageId> ids = new ArrayList<>();
    for (int i = 1; i <= MAX_BATCH + 1; i++) {
      feed(from(A, new Gossip(id(i), 1, payload(i))));
      ids.add(id(i));
    }
    out.take();

    feed(from(C, new Graft(ORIGIN, ids)));

    List<Send> expected = new ArrayList<>();
    for (int i = 1; i <= MAX_BATCH; i++) {
      expected.add(new Send(C, new Gossip(id(i), 2, payload(i))));
    }
    assertEquals(expected, out.take());
  }

  @Test
  void graftDoesNotResendAPayloadOlderThanTheCacheRetention() {
    plumtree =
        new Plumtree(
            SELF, settings(1_000, Duration.ofMinutes(5), 100, 1 << 20, Duration.ofSeconds(1)));
    given(List.of(A), List.of(C));
    byte[] young = payload(2);
    feed(from(A, new Gossip(id(1), 1, payload(1))));
    now = SECOND / 2;
    feed(from(A, new Gossip(id(2), 1, young)));
    out.take();

    now = SECOND;
    feed(from(C, new Graft(ORIGIN, List.of(id(1), id(2)))));

    assertEquals(List.of(new Send(C, new Gossip(id(2), 2, young))), out.take());
    assertEquals(1, plumtree.cache().size());
  }

  @Test
  void pruneMovesAnEagerPeerToTheLazySet() {
    given(List.of(A, B), List.of());

    feed(from(A, PRUNE));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(B), List.of(A));
  }

  @Test
  void pruneFromALazyPeerOrANonNeighbourChangesNothing() {
    given(List.of(A), List.of(C));

    feed(from(C, PRUNE));
    feed(from(D, PRUNE));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A), List.of(C));
  }

  // ---- RequestGraft (recovery's decision) --------------------------------------------------

  @Test
  void requestGraftSendsGraftForTheIdAndMovesTheAnnouncerToEager() {
    given(List.of(A), List.of(C));

    feed(new RequestGraft(id(1), C));

    assertEquals(List.of(new Send(C, new Graft(ORIGIN, List.of(id(1))))), out.take());
    assertPeers(List.of(A, C), List.of());
  }

  @Test
  void graftForAnOriginTheTreeDeliversIsAFetchFollowedAtOnceByAPrune() {
    given(List.of(A, B), List.of(C));
    byte[] bytes = payload(4);
    feed(from(A, new Gossip(id(1), 2, bytes))); // A is the origin's parent here
    flushAll();
    out.take();

    feed(new RequestGraft(id(2), C));
    assertEquals(
        List.of(new Send(C, new Graft(ORIGIN, List.of(id(2)))), new Send(C, PRUNE)), out.take());
    assertPeers(List.of(A, B), List.of(C));

    // The answer is delivered, pushed on except to the parent, which is only told of it.
    feed(from(C, new Gossip(id(2), 3, bytes)));
    assertEquals(
        List.of(
            new Delivered(id(2), C, 3, bytes),
            flushing(A),
            new Send(B, new Gossip(id(2), 4, bytes))),
        out.take());
    flushAll();
    assertEquals(List.of(new Send(A, ihave(new Announcement(id(2), 4)))), out.take());
    assertPeers(List.of(A, B), List.of(C));
  }

  @Test
  void theTreesLateCopyOfAFetchedMessagePrunesNothing() {
    given(List.of(A, B), List.of(C));
    byte[] bytes = payload(4);
    feed(from(A, new Gossip(id(1), 2, bytes)));
    feed(new RequestGraft(id(2), C));
    feed(from(C, new Gossip(id(2), 3, bytes)));
    out.take();

    feed(from(A, new Gossip(id(2), 3, bytes)));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A, B), List.of(C));
    assertEquals(1, plumtree.duplicates());
  }

  @Test
  void graftForAnOriginWhoseFetchedMessageTheTreeThenBroughtIsAFetchAgain() {
    given(List.of(A, B), List.of(C));
    byte[] bytes = payload(4);
    feed(from(A, new Gossip(id(1), 2, bytes)));
    feed(new RequestGraft(id(2), C));
    feed(from(C, new Gossip(id(2), 3, bytes)));
    feed(from(A, new Gossip(id(2), 3, bytes)));
    out.take();

    feed(new RequestGraft(id(3), C));

    assertEquals(
        List.of(new Send(C, new Graft(ORIGIN, List.of(id(3)))), new Send(C, PRUNE)), out.take());
    assertPeers(List.of(A, B), List.of(C));
  }

  @Test
  void graftForAnOriginWhosePreviousMessageWasFetchedRepairsTheTree() {
    given(List.of(A, B), List.of(C));
    byte[] bytes = payload(4);
    feed(from(A, new Gossip(id(1), 2, bytes)));
    feed(new RequestGraft(id(2), C));
    feed(from(C, new Gossip(id(2), 3, bytes)));
    out.take();

    feed(new RequestGraft(id(3), C));

    assertEquals(List.of(new Send(C, new Graft(ORIGIN, List.of(id(3))))), out.take());
    assertPeers(List.of(A, B, C), List.of());
  }

  @Test
  void anotherOriginsPruneFromTheParentLeavesThisOriginsFetchAFetch() {
    given(List.of(A, B), List.of(C));
    feed(from(A, new Gossip(id(1), 2, payload(4))));
    feed(from(A, new Prune(OTHER_ORIGIN)));
    out.take();

    feed(new RequestGraft(id(2), C));

    assertEquals(
        List.of(new Send(C, new Graft(ORIGIN, List.of(id(2)))), new Send(C, PRUNE)), out.take());
  }

  @Test
  void oneOriginsFetchedMessageDoesNotTurnAnotherOriginsGraftIntoARepair() {
    given(List.of(A, B), List.of(C));
    MessageId other = new MessageId(OTHER_ORIGIN, 1);
    feed(from(A, new Gossip(id(1), 2, payload(4))));
    feed(from(A, new Gossip(other, 2, payload(4))));
    feed(new RequestGraft(id(2), C));
    feed(from(C, new Gossip(id(2), 3, payload(4)))); // ORIGIN's last message was fetched
    out.take();

    MessageId missing = new MessageId(OTHER_ORIGIN, 2);
    feed(new RequestGraft(missing, C));

    assertEquals(
        List.of(
            new Send(C, new Graft(OTHER_ORIGIN, List.of(missing))),
            new Send(C, new Prune(OTHER_ORIGIN))),
        out.take());
  }

  @Test
  void aFetchFromAnEagerAnnouncerAnnouncesItsAnswerToTheParentAndKeepsTheTree() {
    given(List.of(A, B, D), List.of(C));
    byte[] bytes = payload(4);
    feed(from(A, new Gossip(id(1), 2, bytes))); // A is the origin's parent here
    flushAll();
    out.take();

    // B, a child, got the next message another way: it is fetched, with no Prune on the tree link.
    feed(new RequestGraft(id(2), B));
    assertEquals(List.of(new Send(B, new Graft(ORIGIN, List.of(id(2))))), out.take());

    feed(from(B, new Gossip(id(2), 4, bytes)));
    assertEquals(
        List.of(
            new Delivered(id(2), B, 4, bytes),
            flushing(A),
            new Send(D, new Gossip(id(2), 5, bytes)),
            flushing(C)),
        out.take());
    flushAll();
    IHave announcement = ihave(new Announcement(id(2), 5));
    assertEquals(List.of(new Send(A, announcement), new Send(C, announcement)), out.take());

    // The tree's late copy prunes nothing: A stays the parent, B a child.
    feed(from(A, new Gossip(id(2), 3, bytes)));
    assertEquals(List.of(), out.take());
    assertPeers(List.of(A, B, D), List.of(C));
  }

  @Test
  void aFetchsAnswerAfterTheTreesCopyPrunesNothing() {
    given(List.of(A, B), List.of(C));
    byte[] bytes = payload(4);
    feed(from(A, new Gossip(id(1), 2, bytes)));
    feed(new RequestGraft(id(2), B)); // from B, a child of this node in the origin's tree
    feed(from(A, new Gossip(id(2), 3, bytes))); // the tree's copy comes first
    out.take();

    // Asked for, not pushed: pruning B would cut it from the tree, where it may have no other
    // eager link.
    feed(from(B, new Gossip(id(2), 4, bytes)));
    assertEquals(List.of(), out.take());
    assertPeers(List.of(A, B), List.of(C));

    // Each fetch is answered once: a further copy is a duplicate again.
    feed(from(B, new Gossip(id(2), 4, bytes)));
    assertEquals(List.of(new Send(B, PRUNE)), out.take());
  }

  @Test
  void requestGraftForADeliveredIdIsIgnored() {
    given(List.of(A), List.of(C));
    feed(from(A, new Gossip(id(1), 1, payload(1))));
    out.take();

    feed(new RequestGraft(id(1), C));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A), List.of(C));
  }

  @Test
  void requestGraftToANonNeighbourIsIgnored() {
    given(List.of(A), List.of(C));

    feed(new RequestGraft(id(1), D));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A), List.of(C));
  }

  // ---- anti-entropy resends ----------------------------------------------------------------

  @Test
  void theTreesCopyOfAResentMessageOfANewOriginMakesItsSenderEagerWithoutAPrune() {
    given(List.of(A), List.of(C));
    NodeId fresh = node(12);
    MessageId id = new MessageId(fresh, 1);
    byte[] bytes = payload(2);
    feed(from(A, new Recovered(id, 3, bytes)));
    out.take();

    // C is lazy in the split a new origin's tree copies, but this origin had no tree here yet.
    feed(from(C, new Gossip(id, 2, bytes)));

    assertEquals(List.of(), out.take());
    assertEquals(List.of(A, C), List.copyOf(plumtree.eagerPeers(fresh)));
  }

  @Test
  void recoveredIsDeliveredAndAnnouncedToEagerAndLazyPeersExceptTheSenderNeverPushed() {
    given(List.of(A, B), List.of(C));
    byte[] bytes = payload(5);

    feed(from(A, new Recovered(id(1), 4, bytes)));

    assertEquals(List.of(new Delivered(id(1), A, 4, bytes), flushing(B), flushing(C)), out.take());
    assertPeers(List.of(A, B), List.of(C));
    assertEquals(2, plumtree.queuedAnnouncements());
    assertEquals(4, plumtree.cache().get(id(1)).round());

    flushAll();
    IHave announcement = ihave(new Announcement(id(1), 5));
    assertEquals(List.of(new Send(B, announcement), new Send(C, announcement)), out.take());
  }

  @Test
  void theTreesCopyOfAMessageResentFirstPrunesNothingAndStandsInForTheEagerDelivery() {
    given(List.of(A, B), List.of(C));
    byte[] bytes = payload(4);
    feed(from(A, new Gossip(id(1), 2, bytes)));
    feed(from(C, new Recovered(id(2), 3, bytes))); // the resend overtakes the tree's copy
    flushAll();
    out.take();

    feed(from(A, new Gossip(id(2), 3, bytes)));

    assertEquals(List.of(), out.take());
    assertPeers(List.of(A, B), List.of(C));
    // A later copy over another link closes a cycle, as after an eager delivery.
    feed(from(B, new Gossip(id(2), 3, bytes)));
    assertEquals(List.of(new Send(B, PRUNE)), out.take());
    assertPeers(List.of(A), List.of(C, B));
  }

  @Test
  void recoveredDuplicateIsOnlyReportedToRecovery() {
    given(List.of(A, B), List.of(C));
    feed(from(A, new Gossip(id(1), 1, payload(1))));
    flushAll();
    out.take();

    feed(from(B, new Recovered(id(1), 1, payload(1))));

    assertEquals(List.of(new AlreadyDelivered(id(1))), out.take());
    assertPeers(List.of(A, B), List.of(C));
    assertEquals(0, plumtree.queuedAnnouncements());
  }

  @Test
  void recoveredFromANonNeighbourIsIgnored() {
    given(List.of(A), List.of(C));

    feed(from(D, new Recovered(id(1), 1, payload(1))));

    assertEquals(List.of(), out.take());
    assertEquals(0, plumtree.seenCount());
    assertNull(plumtree.cache().get(id(1)));
    // Not delivered: an IHave for it is still announced.
    feed(from(C, ihave(new Announcement(id(1), 1))));
    assertEquals(List.of(new Announced(id(1), C, 1)), out.take());
  }

  // ---- bounds ------------------------------------------------------------------------------

  /**
   * The seen set remembers at most seenCapacity ids; the oldest is forgotten first, and a message
   * whose id was forgotten is delivered again. That second delivery is the price of the bound, not
   * a duplicate the role could have detected.
   */
  @Test
  void seenIdsAreBoundedByCapacityAndAForgottenIdIsDeliveredAgain() {
    plumtree = new Plumtree(SELF, settings(3, Duration.ofMinutes(5), 100, 1 << 20));
    given(List.of(A), List.of(C));
    for (int i = 1; i <= 4; i++) {
      feed(from(A, new Gossip(id(i), 1, payload(1))));
    }
    flushAll();
    out.take();
    assertEquals(3, plumtree.seenCount());

    feed(from(C, ihave(new Announcement(id(1), 1), new Announcement(id(2), 1))));
    assertEquals(List.of(new Announced(id(1), C, 1)), out.take());

    byte[] again = payload(1);
    feed(from(A, new Gossip(id(1), 1, again)));
    assertEquals(List.of(new Delivered(id(1), A, 1, again), flushing(C)), out.take());
    assertEquals(3, plumtree.seenCount());
  }

  /**
   * An id is forgotten once it is seenRetention old (checked when the next id is added); one
   * nanosecond younger it is still remembered. A message whose id was forgotten is delivered again:
   * the consequence of the bound.
   */
  @Test
  void seenIdsAreBoundedByRetentionAndAnExpiredIdIsDeliveredAgain() {
    plumtree = new Plumtree(SELF, settings(1_000, Duration.ofSeconds(1), 100, 1 << 20));
    given(List.of(A, B), List.of());
    feed(from(A, new Gossip(id(1), 1, payload(1))));
    now = 1;
    feed(from(A, new Gossip(id(2), 1, payload(1))));
    now = SECOND;
    feed(from(A, new Gossip(id(3), 1, payload(1))));
    out.take();
    assertEquals(2, plumtree.seenCount());

    byte[] remembered = payload(1);
    feed(from(B, new Gossip(id(2), 1, remembered)));
    assertEquals(List.of(new Send(B, PRUNE)), out.take());

    byte[] again = payload(1);
    feed(from(A, new Gossip(id(1), 1, again)));
    // B is lazy since its duplicate: the new delivery is announced to it.
    assertEquals(List.of(new Delivered(id(1), A, 1, again), flushing(B)), out.take());
  }

  @Test
  void payloadCacheIsBoundedByCount() {
    plumtree = new Plumtree(SELF, settings(1_000, Duration.ofMinutes(5), 2, 1 << 20));
    given(List.of(A), List.of(C));
    for (int i = 1; i <= 3; i++) {
      feed(from(A, new Gossip(id(i), 1, payload(i))));
    }
    out.take();
    assertEquals(2, plumtree.cache().size());

    feed(from(C, new Graft(ORIGIN, List.of(id(1), id(2), id(3)))));

    assertEquals(
        List.of(
            new Send(C, new Gossip(id(2), 2, payload(2))),
            new Send(C, new Gossip(id(3), 2, payload(3)))),
        out.take());
  }

  @Test
  void payloadCacheIsBoundedByBytes() {
    plumtree = new Plumtree(SELF, settings(1_000, Duration.ofMinutes(5), 100, 10));
    given(List.of(A), List.of(C));
    feed(from(A, new Gossip(id(1), 1, payload(4))));
    feed(from(A, new Gossip(id(2), 1, payload(4))));
    feed(from(A, new Gossip(id(3), 1, payload(4))));
    out.take();
    assertEquals(2, plumtree.cache().size());
    assertEquals(8, plumtree.cache().bytes());

    feed(from(C, new Graft(ORIGIN, List.of(id(1), id(2), id(3)))));

    assertEquals(
        List.of(
            new Send(C, new Gossip(id(2), 2, payload(4))),
            new Send(C, new Gossip(id(3), 2, payload(4)))),
        out.take());
  }

  @Test
  void payloadLargerThanTheByteBoundIsDeliveredAndForwardedButNotCached() {
    plumtree = new Plumtree(SELF, settings(1_000, Duration.ofMinutes(5), 100, 10));
    given(List.of(A, B), List.of(C));
    feed(from(A, new Gossip(id(1), 1, payload(4))));
    out.take();
    byte[] big = payload(11);

    feed(from(A, new Gossip(id(2), 1, big)));

    assertEquals(
        List.of(new Delivered(id(2), A, 1, big), new Send(B, new Gossip(id(2), 2, big))),
        out.take());
    assertEquals(1, plumtree.cache().size());
    assertEquals(4, plumtree.cache().bytes());
    feed(from(C, new Graft(ORIGIN, List.of(id(2)))));
    assertEquals(List.of(), out.take());
  }

  @Test
  void payloadCacheIsBoundedByAge() {
    plumtree =
        new Plumtree(
            SELF, settings(1_000, Duration.ofMinutes(5), 100, 1 << 20, Duration.ofSeconds(1)));
    given(List.of(A), List.of(C));
    feed(from(A, new Gossip(id(1), 1, payload(1))));
    now = 1;
    feed(from(A, new Gossip(id(2), 1, payload(2))));
    now = SECOND;
    feed(from(A, new Gossip(id(3), 1, payload(3))));
    out.take();

    assertEquals(
        List.of(id(2), id(3)),
        plumtree.cache().entries().stream().map(MessageHistory.Entry::id).toList());
    assertEquals(5, plumtree.cache().bytes());
  }

  @Test
  void otherTimersAreIgnored() {
    given(List.of(A), List.of(C));
    feed(new Broadcast(payload(1)));
    out.take();

    feed(new TimerExpired(new Timer() {}));

    assertEquals(List.of(), out.take());
    assertEquals(1, plumtree.queuedAnnouncements());
  }

  // ---- confirmed broadcasts ----------------------------------------------------------------

  @Test
  void confirmedBroadcastAsksEagerPeersForAnAckAndAnnouncesToLazyOnes() {
    given(List.of(A, B), List.of(C));
    byte[] bytes = payload(3);

    MessageId id = plumtree.broadcast(bytes, 2, now, out);

    assertEquals(
        List.of(
            new Delivered(id, SELF, 0, bytes),
            new Send(A, new Gossip(id, 1, bytes, true, OTHER_ORIGIN)),
            new Send(B, new Gossip(id, 1, bytes, true, OTHER_ORIGIN)),
            flushing(C)),
        out.take());
    assertPeers(List.of(A, B), List.of(C));
  }

  @Test
  void confirmedBroadcastWithFewerEagerPeersThanAcksMovesLazyPeersToEagerInOrder() {
    given(List.of(A), List.of(C, D, B));
    byte[] bytes = payload(3);

    feed(new Broadcast(bytes, 3));

    MessageId id = new MessageId(SELF, 1);
    assertEquals(
        List.of(
            new Delivered(id, SELF, 0, bytes),
            new Send(A, new Gossip(id, 1, bytes, true, OTHER_ORIGIN)),
            new Send(C, new Gossip(id, 1, bytes, true, OTHER_ORIGIN)),
            new Send(D, new Gossip(id, 1, bytes, true, OTHER_ORIGIN)),
            flushing(B)),
        out.take());
    assertEquals(Set.of(B), plumtree.lazyPeers(SELF));
  }

  @Test
  void confirmedBroadcastWithFewerNeighboursThanAcksPushesToEveryNeighbour() {
    given(List.of(A), List.of(C));
    byte[] bytes = payload(3);

    feed(new Broadcast(bytes, 5));

    MessageId id = new MessageId(SELF, 1);
    assertEquals(
        List.of(
            new Delivered(id, SELF, 0, bytes),
            new Send(A, new Gossip(id, 1, bytes, true, OTHER_ORIGIN)),
            new Send(C, new Gossip(id, 1, bytes, true, OTHER_ORIGIN))),
        out.take());
    assertEquals(Set.of(), plumtree.lazyPeers(SELF));
  }

  @Test
  void aGossipAskingForAnAckStraightFromItsOriginIsAckedAndForwardedWithoutTheRequest() {
    given(List.of(A, B), List.of(C));
    feed(from(C, new Prune(A)));
    MessageId id = new MessageId(A, 1);
    byte[] bytes = payload(4);

    feed(from(A, new Gossip(id, 1, bytes, true)));

    assertEquals(
        List.of(
            new Send(A, new Ack(id)),
            new Delivered(id, A, 1, bytes),
            new Send(B, new Gossip(id, 2, bytes)),
            flushing(C)),
        out.take());
  }

  @Test
  void aDuplicateAskingForAnAckStraightFromItsOriginIsAckedToo() {
    given(List.of(A, B), List.of(C));
    MessageId id = new MessageId(C, 1);
    feed(from(A, new Gossip(id, 2, payload(4))));
    out.take();

    // C, the origin, answers this node's Graft with the payload, asking for an ack.
    feed(from(C, new Gossip(id, 1, payload(4), true)));

    assertEquals(List.of(new Send(C, new Ack(id)), new Send(C, new Prune(C))), out.take());
  }

  @Test
  void anAckRequestIsAnsweredToTheOriginOnly() {
    given(List.of(A, B), List.of());
    byte[] bytes = payload(4);

    // Forwarded by B, which is not the origin: not answered. Straight from an origin this role
    // does not know as a neighbour yet (its NeighborUp is on its way): answered.
    feed(from(B, new Gossip(new MessageId(A, 1), 2, bytes, true)));
    feed(from(D, new Gossip(new MessageId(D, 1), 1, bytes, true)));

    assertEquals(
        List.of(
            new Delivered(new MessageId(A, 1), B, 2, bytes),
            new Send(A, new Gossip(new MessageId(A, 1), 3, bytes)),
            new Send(D, new Ack(new MessageId(D, 1))),
            new Delivered(new MessageId(D, 1), D, 1, bytes),
            new Send(A, new Gossip(new MessageId(D, 1), 2, bytes)),
            new Send(B, new Gossip(new MessageId(D, 1), 2, bytes))),
        out.take());
  }

  @Test
  void acksFromNeighboursOfAConfirmedBroadcastAreReportedAndOthersIgnored() {
    given(List.of(A), List.of(C));
    MessageId confirmed = plumtree.broadcast(payload(1), 1, now, out);
    MessageId unconfirmed = plumtree.broadcast(payload(2), now, out);
    out.take();

    feed(from(A, new Ack(confirmed)));
    feed(from(C, new Ack(confirmed)));
    feed(from(A, new Ack(confirmed)));
    feed(from(D, new Ack(confirmed)));
    feed(from(A, new Ack(unconfirmed)));
    feed(from(A, new Ack(id(1))));

    assertEquals(
        List.of(
            new Acknowledged(confirmed, A),
            new Acknowledged(confirmed, C),
            new Acknowledged(confirmed, A)),
        out.take());
  }

  @Test
  void graftOfAConfirmedBroadcastIsAnsweredWithAnAckRequestAndOfAnUnconfirmedOneWithout() {
    given(List.of(A), List.of(C));
    MessageId confirmed = plumtree.broadcast(payload(1), 1, now, out);
    MessageId unconfirmed = plumtree.broadcast(payload(2), now, out);
    out.take();

    feed(from(C, new Graft(SELF, List.of(confirmed, unconfirmed))));

    assertEquals(
        List.of(
            new Send(C, new Gossip(confirmed, 1, payload(1), true, OTHER_ORIGIN)),
            new Send(C, new Gossip(unconfirmed, 1, payload(2), false, OTHER_ORIGIN))),
        out.take());
  }
}
