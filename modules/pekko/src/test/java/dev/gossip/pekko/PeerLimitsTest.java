package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.Ping;
import dev.gossip.core.message.ShuffleReply;
import dev.gossip.pekko.internal.wire.Codec;
import dev.gossip.pekko.internal.wire.Hello;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each per-peer limit of {@code gossip.transport}: a raw-socket peer that goes past it is cut off
 * and counted by its reason, and a well-behaved neighbour is not.
 */
class PeerLimitsTest {

  private static final NodeId FAKE = new NodeId("127.0.0.1", 1, 1);

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private TestNode node(String config) {
    TestNode node = TestNode.start(config);
    open.add(node);
    return node;
  }

  /** A node with {@code config} joined to {@code target}, which starts the overlay. */
  private TestNode neighbourOf(TestNode target, String config) throws Exception {
    TestNode neighbour = node(config);
    target.gossip.join(List.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    neighbour
        .gossip
        .join(List.of(target.address()))
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    return neighbour;
  }

  private RawPeer connect(TestNode target) throws IOException {
    RawPeer peer = new RawPeer(target.gossip.self().port());
    open.add(0, peer);
    return peer;
  }

  private static Codec codec(TestNode node) {
    return new Codec(node.system.classicSystem(), 1 << 20);
  }

  private static void awaitDrops(TestNode node, DropReason reason, long count) {
    TestNode.await(
        Duration.ofSeconds(30),
        count + " " + reason + " drops to be counted",
        () -> node.gossip.metrics().framesDropped(reason) == count);
  }

  @Test
  void connectionsPastThePerAddressLimitAreClosedUnread() throws Exception {
    TestNode target = node("gossip.transport.max-connections-per-address = 3");
    target.gossip.join(List.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<RawPeer> admitted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RawPeer peer = connect(target);
      assertTrue(peer.greeted(), "connection " + (i + 1) + " of 3 was accepted");
      admitted.add(peer);
    }
    RawPeer fourth = connect(target);
    assertFalse(fourth.greeted(), "the fourth connection got a Hello");
    awaitDrops(target, DropReason.TOO_MANY_CONNECTIONS, 1);

    // A closed connection frees its slot.
    admitted.get(0).close();
    TestNode.await(
        Duration.ofSeconds(30),
        "the closed connection to be gone",
        () -> target.gossip.metrics().openLinks() == 2);
    assertTrue(connect(target).greeted(), "a connection into the freed slot was accepted");
    assertEquals(1, target.gossip.metrics().framesDropped(DropReason.TOO_MANY_CONNECTIONS));
  }

  @Test
  void aPeerThatSendsNothingIsCutOffAtTheHandshakeTimeout() throws Exception {
    TestNode target = node("gossip.transport.handshake-timeout = 1 s");
    RawPeer silent = connect(target);
    assertTrue(silent.closedByNode(), "the silent connection stayed open");
    awaitDrops(target, DropReason.HANDSHAKE, 1);
  }

  @Test
  void aPeerThatTricklesItsHelloIsCutOffAtTheHandshakeTimeout() throws Exception {
    TestNode target = node("gossip.transport.handshake-timeout = 1 s");
    RawPeer trickler = connect(target);
    byte[] hello = codec(target).encode(new Hello(FAKE)).toArray();
    // One byte per 200 ms: the whole Hello would take far longer than the timeout.
    CompletableFuture<Void> trickle =
        trickler.sendPaced(hello.length, Duration.ofMillis(200), i -> new byte[] {hello[i]});
    assertTrue(trickler.closedByNode(), "the trickling connection stayed open");
    awaitDrops(target, DropReason.HANDSHAKE, 1);
    trickler.close();
    trickle.get(60, TimeUnit.SECONDS);
  }

  @Test
  void aStrangerKeepingAConnectionBusyIsCutOffAfterTheLifetimeButANeighbourIsNot()
      throws Exception {
    String config =
        "gossip.transport.handshake-timeout = 1 s\n"
            + "gossip.transport.unauthenticated-lifetime = 2 s\n"
            + "gossip.transport.idle-timeout = 1 h";
    TestNode target = node(config);
    TestNode neighbour = neighbourOf(target, config);

    RawPeer stranger = connect(target);
    Codec codec = codec(target);
    stranger.send(codec.encode(new Hello(FAKE)).toArray());
    byte[] ping = codec.encode(new Ping(1)).toArray();
    // Pings every 100 ms: the connection is never idle, and never in the active view.
    CompletableFuture<Void> busy =
        stranger.sendPaced(Integer.MAX_VALUE, Duration.ofMillis(100), i -> ping);
    assertTrue(stranger.closedByNode(), "the stranger's connection stayed open");
    awaitDrops(target, DropReason.LIFETIME_EXCEEDED, 1);
    stranger.close();
    busy.get(60, TimeUnit.SECONDS);

    // The neighbour's link was accepted earlier, so its lifetime ran out first: it was exempt.
    assertTrue(target.isNeighbor(neighbour.gossip.self()), "the neighbour was cut off");
    assertBroadcastsFlow(target, neighbour);
    assertEquals(1, target.gossip.metrics().framesDropped(DropReason.LIFETIME_EXCEEDED));
  }

  @Test
  void aConnectionCarryingOnlyPassiveTrafficIsClosedAtTheLifetimeWithoutARefusal()
      throws Exception {
    String config =
        "gossip.transport.handshake-timeout = 1 s\n"
            + "gossip.transport.unauthenticated-lifetime = 2 s\n"
            + "gossip.transport.idle-timeout = 1 h";
    TestNode target = node(config);
    neighbourOf(target, config);

    RawPeer passive = connect(target);
    Codec codec = codec(target);
    passive.send(codec.encode(new Hello(FAKE)).toArray());
    byte[] shuffleReply = codec.encode(new ShuffleReply(List.of())).toArray();
    // Shuffle replies every 100 ms, as a busy overlay's passive traffic: never idle.
    CompletableFuture<Void> busy =
        passive.sendPaced(Integer.MAX_VALUE, Duration.ofMillis(100), i -> shuffleReply);
    assertTrue(passive.closedByNode(), "the connection stayed open past its lifetime");
    passive.close();
    busy.get(60, TimeUnit.SECONDS);
    assertEquals(0, target.gossip.metrics().framesDropped(DropReason.LIFETIME_EXCEEDED));
  }

  @Test
  void aLinkSendingFasterThanTheFrameRateIsCutOff() throws Exception {
    TestNode target = node("gossip.transport.max-inbound-frame-rate = 50");
    TestNode neighbour = neighbourOf(target, "gossip.transport.max-inbound-frame-rate = 50");

    RawPeer flooder = connect(target);
    Codec codec = codec(target);
    ByteArrayOutputStream burst = new ByteArrayOutputStream();
    burst.writeBytes(codec.encode(new Hello(FAKE)).toArray());
    // Five seconds' worth of Pings at once: past the one-second burst whatever the timing.
    IntStream.range(0, 250).forEach(i -> burst.writeBytes(codec.encode(new Ping(i)).toArray()));
    flooder.send(burst.toByteArray());
    assertTrue(flooder.closedByNode(), "the flooding connection stayed open");
    awaitDrops(target, DropReason.RATE_LIMITED, 1);

    // The neighbour's heartbeat and broadcasts stay well under 50 frames per second.
    assertBroadcastsFlow(target, neighbour);
    assertTrue(target.isNeighbor(neighbour.gossip.self()), "the neighbour was cut off");
    assertEquals(1, target.gossip.metrics().framesDropped(DropReason.RATE_LIMITED));
  }

  @Test
  void aFrameWithMoreEntriesThanItsLimitIsRefused() throws Exception {
    TestNode target = node("gossip.transport.max-ihave-ids-per-frame = 300");
    RawPeer peer = connect(target);
    Codec codec = codec(target);
    NodeId origin = new NodeId("127.0.0.1", 2, 2);
    List<Announcement> within = announcements(origin, 0, 300);
    List<Announcement> over = announcements(origin, 300, 301);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(codec.encode(new Hello(FAKE)).toArray());
    bytes.writeBytes(codec.encode(new IHave(within)).toArray());
    bytes.writeBytes(codec.encode(new IHave(over)).toArray());
    peer.send(bytes.toByteArray());
    assertTrue(peer.closedByNode(), "the link stayed open after an IHave of 301 ids");
    awaitDrops(target, DropReason.TOO_MANY_ENTRIES, 1);
  }

  private static List<Announcement> announcements(NodeId origin, int from, int count) {
    return IntStream.range(from, from + count)
        .mapToObj(i -> new Announcement(new MessageId(origin, i + 1L), 1))
        .toList();
  }

  private static void assertBroadcastsFlow(TestNode a, TestNode b) throws Exception {
    MessageId fromA =
        a.gossip.broadcast(new byte[] {1}).toCompletableFuture().get(5, TimeUnit.SECONDS);
    MessageId fromB =
        b.gossip.broadcast(new byte[] {2}).toCompletableFuture().get(5, TimeUnit.SECONDS);
    TestNode.await(
        Duration.ofSeconds(30),
        "both broadcasts delivered at both nodes",
        () -> a.delivered(fromB) == 1 && b.delivered(fromA) == 1);
  }
}
