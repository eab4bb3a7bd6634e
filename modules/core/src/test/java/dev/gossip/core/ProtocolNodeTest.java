package dev.gossip.core;

import static dev.gossip.core.testing.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.dissemination.IHaveFlush;
import dev.gossip.core.heartbeat.HeartbeatTick;
import dev.gossip.core.membership.MembershipTimer;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Graft;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.Join;
import dev.gossip.core.message.Neighbor;
import dev.gossip.core.recovery.RecoveryTimer;
import dev.gossip.core.testing.Recorder;
import dev.gossip.core.testing.ZeroRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The wiring between roles, checked on the exact outbox of one composed node. */
class ProtocolNodeTest {

  private static final long SECOND = 1_000_000_000L;

  private final GossipSettings settings = GossipSettings.defaults();
  private final NodeId self = node(0);
  private final NodeId peer = node(1);
  private final ProtocolNode node = new ProtocolNode(self, settings, new ZeroRandom());
  private final Recorder out = new Recorder();

  private void linkPeer() {
    node.handle(new Received(peer, new Join()), 0, out);
    out.take();
  }

  @Test
  void startSchedulesTheShuffleAntiEntropyAndHeartbeatTimers() {
    node.handle(Start.INSTANCE, 0, out);
    assertEquals(
        List.of(
            new Schedule(Duration.ofNanos(1), MembershipTimer.ShuffleTick.INSTANCE),
            new Schedule(Duration.ofNanos(1), RecoveryTimer.AntiEntropyTick.INSTANCE),
            new Schedule(settings.heartbeat().pingInterval(), HeartbeatTick.INSTANCE)),
        out.take());
  }

  @Test
  void neighborUpFromMembershipReachesDisseminationRecoveryAndHeartbeat() {
    node.handle(new Received(peer, new Join()), 0, out);
    assertEquals(
        List.of(
            new Connect(peer),
            new NeighborUp(peer),
            new Send(peer, new Neighbor(true)),
            new Schedule(
                settings.membership().rejoinBackoffMin(), MembershipTimer.RefillTick.INSTANCE)),
        out.take());
    assertEquals(Set.of(peer), node.dissemination().eagerPeers());
    assertEquals(1, node.heartbeat().monitoredLinks());
    // Recovery knows the neighbour: its anti-entropy tick picks it as partner.
    node.handle(new TimerExpired(RecoveryTimer.AntiEntropyTick.INSTANCE), 0, out);
    assertEquals(
        List.of(
            new Schedule(
                settings.recovery().antiEntropyInterval(), RecoveryTimer.AntiEntropyTick.INSTANCE),
            new Send(peer, node.recovery().digest(true))),
        out.take());
  }

  @Test
  void announcementGoesToRecoveryWhoseGraftGoesBackToDissemination() {
    linkPeer();
    MessageId missing = new MessageId(node(9), 4);
    node.handle(new Received(peer, new IHave(List.of(new Announcement(missing, 3)))), 0, out);
    RecoveryTimer.MissingTimeout timeout = new RecoveryTimer.MissingTimeout(missing);
    assertEquals(List.of(new Schedule(settings.recovery().graftTimeout(), timeout)), out.take());

    // Recovery's RequestGraft is handled by dissemination after recovery's own outputs.
    node.handle(new TimerExpired(timeout), 1, out);
    assertEquals(
        List.of(
            new Schedule(settings.recovery().secondGraftTimeout(), timeout),
            new Send(peer, Graft.of(missing))),
        out.take());
  }

  @Test
  void deliveryIsStoredInTheRecoveryHistoryAndCancelsTheMissingTimer() {
    linkPeer();
    MessageId id = new MessageId(node(9), 1);
    byte[] payload = {1, 2, 3};
    node.handle(new Received(peer, new IHave(List.of(new Announcement(id, 2)))), 0, out);
    node.handle(new Received(peer, new Gossip(id, 2, payload)), 1, out);
    assertEquals(Set.of(), node.recovery().missing());
    assertNotNull(node.recovery().history().get(id));
  }

  @Test
  void heartbeatTimeoutRemovesThePeerThroughMembershipWhichThenRejoins() {
    linkPeer();
    long late = settings.heartbeat().failureTimeout().toNanos() + SECOND;
    node.handle(new TimerExpired(HeartbeatTick.INSTANCE), late, out);
    // With the views empty, the former neighbour is the only re-join candidate left.
    assertEquals(
        List.of(
            new Schedule(settings.heartbeat().pingInterval(), HeartbeatTick.INSTANCE),
            new Close(peer),
            new NeighborDown(peer, DownReason.HEARTBEAT_TIMEOUT),
            new Send(peer, new Join()),
            new Schedule(
                settings.membership().neighborRequestTimeout(), MembershipTimer.JoinTick.INSTANCE)),
        out.take());
    assertEquals(Set.of(), node.membership().activeView());
    assertEquals(Set.of(), node.dissemination().eagerPeers());
    assertEquals(0, node.heartbeat().monitoredLinks());
  }

  @Test
  void broadcastReturnsTheIdItDeliversAndPushesToNeighbours() {
    linkPeer();
    byte[] payload = {42};
    MessageId id = node.broadcast(payload, 0, out);
    assertEquals(new MessageId(self, 1), id);
    assertEquals(
        List.of(new Delivered(id, self, 0, payload), new Send(peer, new Gossip(id, 1, payload))),
        out.take());
  }

  @Test
  void timersAreRoutedToTheRoleThatOwnsThem() {
    linkPeer();
    node.handle(new TimerExpired(new IHaveFlush(peer)), 0, out);
    assertEquals(List.of(), out.take());
    node.handle(new TimerExpired(MembershipTimer.ShuffleTick.INSTANCE), 0, out);
    List<Output> shuffle = out.take();
    assertEquals(
        new Schedule(settings.membership().shuffleInterval(), MembershipTimer.ShuffleTick.INSTANCE),
        shuffle.get(0));
  }

  @ParameterizedTest(name = "interleaving seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void inMailboxesEveryHandlerGetsEveryEventAndTheGraftFlowIsUnchanged(long seed) {
    ProtocolNode boxed =
        new ProtocolNode(
            self, settings, new ZeroRandom(), Composition.mailboxes(new SplittableRandom(seed)));
    boxed.handle(new Received(peer, new Join()), 0, out);
    out.take();
    assertEquals(Set.of(peer), boxed.dissemination().eagerPeers());
    assertEquals(1, boxed.heartbeat().monitoredLinks());
    MessageId missing = new MessageId(node(9), 4);
    boxed.handle(new Received(peer, new IHave(List.of(new Announcement(missing, 3)))), 0, out);
    RecoveryTimer.MissingTimeout timeout = new RecoveryTimer.MissingTimeout(missing);
    assertEquals(List.of(new Schedule(settings.recovery().graftTimeout(), timeout)), out.take());
    boxed.handle(new TimerExpired(timeout), 1, out);
    assertEquals(
        List.of(
            new Schedule(settings.recovery().secondGraftTimeout(), timeout),
            new Send(peer, Graft.of(missing))),
        out.take());
    byte[] payload = {1, 2, 3};
    boxed.handle(new Received(peer, new Gossip(missing, 3, payload)), 2, out);
    assertEquals(Set.of(), boxed.recovery().missing());
    assertNotNull(boxed.recovery().history().get(missing));
  }
}
