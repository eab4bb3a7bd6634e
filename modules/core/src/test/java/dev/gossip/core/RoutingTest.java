package dev.gossip.core;

import static dev.gossip.core.testing.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.dissemination.Acknowledged;
import dev.gossip.core.dissemination.Announced;
import dev.gossip.core.dissemination.Broadcast;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.dissemination.EarlierAnnouncement;
import dev.gossip.core.dissemination.IHaveFlush;
import dev.gossip.core.dissemination.RequestGraft;
import dev.gossip.core.heartbeat.HeardFrom;
import dev.gossip.core.heartbeat.HeartbeatTick;
import dev.gossip.core.heartbeat.RttMeasured;
import dev.gossip.core.membership.Leave;
import dev.gossip.core.membership.MembershipTimer;
import dev.gossip.core.message.Ack;
import dev.gossip.core.message.Digest;
import dev.gossip.core.message.Join;
import dev.gossip.core.message.Ping;
import dev.gossip.core.message.Prune;
import dev.gossip.core.recovery.RecoveryTimer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTest {

  private final NodeId peer = node(1);
  private final MessageId id = new MessageId(node(2), 1);

  @Test
  void aPeerMessageGoesToItsOneRoleAndLinkActivityToTheHeartbeat() {
    assertEquals(List.of(Role.MEMBERSHIP), Routing.handlers(new Received(peer, new Join())));
    assertEquals(
        List.of(Role.DISSEMINATION), Routing.handlers(new Received(peer, new Prune(peer))));
    assertEquals(
        List.of(Role.RECOVERY), Routing.handlers(new Received(peer, new Digest(List.of(), false))));
    assertEquals(List.of(Role.HEARTBEAT), Routing.handlers(new Received(peer, new Ping(0))));
    assertEquals(List.of(Role.HEARTBEAT), Routing.handlers(new HeardFrom(peer, 0)));
    assertEquals(Role.DISSEMINATION, Routing.role(new Prune(peer)));
    assertEquals(Role.DISSEMINATION, Routing.role(new Ack(id)));
  }

  @Test
  void timersGoToTheRoleThatOwnsThem() {
    assertEquals(
        List.of(Role.MEMBERSHIP),
        Routing.handlers(new TimerExpired(MembershipTimer.ShuffleTick.INSTANCE)));
    assertEquals(
        List.of(Role.DISSEMINATION), Routing.handlers(new TimerExpired(new IHaveFlush(peer))));
    assertEquals(
        List.of(Role.RECOVERY),
        Routing.handlers(new TimerExpired(new RecoveryTimer.MissingTimeout(id))));
    assertEquals(
        List.of(Role.HEARTBEAT), Routing.handlers(new TimerExpired(HeartbeatTick.INSTANCE)));
  }

  @Test
  void eventsBetweenRolesFollowTheDesignTable() {
    List<Role> linkUsers = List.of(Role.DISSEMINATION, Role.RECOVERY, Role.HEARTBEAT);
    assertEquals(linkUsers, Routing.handlers(new NeighborUp(peer)));
    assertEquals(linkUsers, Routing.handlers(new NeighborDown(peer, DownReason.EVICTED)));
    assertEquals(List.of(Role.RECOVERY), Routing.handlers(new Announced(id, peer, 1)));
    assertEquals(List.of(Role.RECOVERY), Routing.handlers(new Delivered(id, peer, 1, new byte[0])));
    assertEquals(List.of(Role.DISSEMINATION), Routing.handlers(new RequestGraft(id, peer)));
    assertEquals(
        List.of(Role.DISSEMINATION, Role.RECOVERY),
        Routing.handlers(new RttMeasured(peer, Duration.ofMillis(30), Duration.ofMillis(20))));
    assertEquals(
        List.of(Role.DISSEMINATION), Routing.handlers(new EarlierAnnouncement(id, peer, 1)));
    assertEquals(
        List.of(Role.MEMBERSHIP),
        Routing.handlers(new LinkFailed(peer, DownReason.HEARTBEAT_TIMEOUT)));
  }

  @Test
  void commandsGoToTheRoleThatServesThem() {
    assertEquals(
        List.of(Role.MEMBERSHIP, Role.RECOVERY, Role.HEARTBEAT), Routing.handlers(Start.INSTANCE));
    assertEquals(List.of(Role.MEMBERSHIP), Routing.handlers(Leave.INSTANCE));
    assertEquals(List.of(Role.DISSEMINATION), Routing.handlers(new Broadcast(new byte[0])));
  }

  @Test
  void onlyEventsBetweenRolesStayInsideTheNode() {
    assertFalse(Routing.leavesNode(new Announced(id, peer, 1)));
    assertFalse(Routing.leavesNode(new RequestGraft(id, peer)));
    assertFalse(Routing.leavesNode(new EarlierAnnouncement(id, peer, 1)));
    assertFalse(Routing.leavesNode(new LinkFailed(peer, DownReason.SLOW)));
    assertTrue(Routing.leavesNode(new Delivered(id, peer, 1, new byte[0])));
    assertTrue(Routing.leavesNode(new Acknowledged(id, peer)));
    assertTrue(Routing.leavesNode(new NeighborUp(peer)));
    assertTrue(Routing.leavesNode(new Send(peer, new Prune(peer))));
    assertTrue(Routing.leavesNode(new Close(peer)));
  }
}
