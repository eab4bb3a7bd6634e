package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.IHave;
import dev.gossip.pekko.internal.wire.Codec;
import dev.gossip.pekko.internal.wire.Hello;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Raw sockets sending bad frames and opening too many connections: their links are closed and
 * counted by reason, and the overlay goes on.
 */
class MalformedPeerTest {

  /** Bad connections per attacking thread, a multiple of the kinds of bad frame. */
  private static final int GARBAGE_PER_KIND = 5;

  private final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(TestNode::close);
  }

  @Test
  void hostileConnectionsAreClosedAndCountedWhileNeighboursKeepBroadcasting() throws Exception {
    TestNode target = TestNode.start("gossip.transport.max-connections-per-address = 16");
    nodes.add(target);
    target.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    for (int i = 0; i < 2; i++) {
      TestNode node = TestNode.start();
      nodes.add(node);
      node.gossip.join(List.of(target.address())).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
    int port = target.gossip.self().port();
    List<byte[]> garbage = garbage(new Codec(target.system.classicSystem(), 1 << 20));

    // The two neighbours broadcast in turn all through the attack.
    List<MessageId> ids = new CopyOnWriteArrayList<>();
    AtomicBoolean attacking = new AtomicBoolean(true);
    CompletableFuture<Void> broadcasts =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; attacking.get() || i < 10; i++) {
                Gossip from = nodes.get(1 + i % 2).gossip;
                ids.add(from.broadcast(new byte[] {(byte) i}).toCompletableFuture().join());
                LockSupport.parkNanos(20_000_000);
              }
            });

    // One address opens connections until the node refuses one unread.
    int linksBefore = target.gossip.metrics().openLinks();
    List<RawPeer> hog = new ArrayList<>();
    try {
      boolean refused = false;
      for (int i = 0; i <= 16 && !refused; i++) {
        RawPeer peer = new RawPeer(port);
        hog.add(peer);
        refused = !peer.greeted();
      }
      assertTrue(refused, "17 connections from one address were all accepted");
    } finally {
      for (RawPeer peer : hog) {
        peer.close();
      }
    }
    // The node must have seen the hog's connections close before the attack, or an attacker's
    // connection may be refused for the address's count instead of dropped for its frame.
    TestNode.await(
        Duration.ofSeconds(30),
        "the node to see the refused address's connections closed",
        () -> target.gossip.metrics().openLinks() <= linksBefore);

    // Four connections at a time, each sending one kind of bad frame.
    ExecutorService attackers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> attacks = new ArrayList<>();
      for (int i = 0; i < 4 * GARBAGE_PER_KIND; i++) {
        byte[] bytes = garbage.get(i % garbage.size());
        attacks.add(
            attackers.submit(
                () -> {
                  RawPeer.assertClosedAfter(port, bytes);
                  return null;
                }));
      }
      for (Future<?> attack : attacks) {
        attack.get(60, TimeUnit.SECONDS);
      }
    } finally {
      attackers.shutdownNow();
    }
    attacking.set(false);
    broadcasts.get(60, TimeUnit.SECONDS);

    long perKind = 4L * GARBAGE_PER_KIND / garbage.size();
    TestNode.await(
        Duration.ofSeconds(30),
        perKind + " drops of each kind and one refused connection to be counted",
        () -> {
          MetricsSnapshot m = target.gossip.metrics();
          return m.framesDropped(DropReason.MALFORMED) == perKind
              && m.framesDropped(DropReason.OVERSIZE) == perKind
              && m.framesDropped(DropReason.UNKNOWN_TYPE) == perKind
              && m.framesDropped(DropReason.WRONG_VERSION) == perKind
              && m.framesDropped(DropReason.TOO_MANY_ENTRIES) == perKind
              && m.framesDropped(DropReason.TOO_MANY_CONNECTIONS) == 1;
        });
    TestNode.await(
        Duration.ofSeconds(30),
        "every broadcast to reach every node",
        () -> nodes.stream().allMatch(n -> ids.stream().allMatch(id -> n.delivered(id) == 1)));
  }

  /** One link's bytes for each kind of bad frame, in the order of the drop reasons checked. */
  private static List<byte[]> garbage(Codec codec) {
    NodeId fake = new NodeId("127.0.0.1", 1, 1);
    NodeId origin = new NodeId("127.0.0.1", 2, 2);
    IHave tooMany =
        new IHave(
            IntStream.range(0, 1025)
                .mapToObj(i -> new Announcement(new MessageId(origin, i + 1L), 1))
                .toList());
    ByteArrayOutputStream overLimit = new ByteArrayOutputStream();
    overLimit.writeBytes(codec.encode(new Hello(fake)).toArray());
    overLimit.writeBytes(codec.encode(tooMany).toArray());
    return List.of(
        RawPeer.frame(Codec.VERSION, 0, "not cbor at all".getBytes(StandardCharsets.UTF_8)),
        ByteBuffer.allocate(4).putInt(64 << 20).array(),
        RawPeer.frame(Codec.VERSION, 77, new byte[] {1, 2, 3}),
        RawPeer.frame(9, 30, new byte[] {0}),
        overLimit.toByteArray());
  }

  @Test
  void dropsAreLoggedAtMostOncePerReasonPerIntervalAndAlwaysCounted() throws Exception {
    TestNode target = TestNode.start("gossip.transport.drop-log-interval = 1h");
    nodes.add(target);
    String source = "pekko://" + target.system.name() + "/";
    Logger logger = (Logger) LoggerFactory.getLogger("dev.gossip.pekko.internal.link.LinkManager");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      int port = target.gossip.self().port();
      for (int i = 0; i < 3; i++) {
        RawPeer.assertClosedAfter(
            port, RawPeer.frame(Codec.VERSION, 0, new byte[] {(byte) 0xff, 1, 2}));
      }
      for (int i = 0; i < 2; i++) {
        RawPeer.assertClosedAfter(port, RawPeer.frame(Codec.VERSION, 99, new byte[] {1}));
      }
      // Each drop is counted, then logged if its reason was not logged within the interval, in
      // the same message of the link manager: once the last count shows, earlier logs are done.
      TestNode.await(
          Duration.ofSeconds(10),
          "three MALFORMED and two UNKNOWN_TYPE drops to be counted",
          () -> {
            MetricsSnapshot m = target.gossip.metrics();
            return m.framesDropped(DropReason.MALFORMED) == 3
                && m.framesDropped(DropReason.UNKNOWN_TYPE) == 2;
          });
      TestNode.await(
          Duration.ofSeconds(10),
          "the first drop of each reason to be logged",
          () -> dropLogs(appender, source, "UNKNOWN_TYPE") >= 1);
      assertEquals(1, dropLogs(appender, source, "MALFORMED"));
      assertEquals(1, dropLogs(appender, source, "UNKNOWN_TYPE"));
    } finally {
      logger.detachAppender(appender);
    }
  }

  private static long dropLogs(ListAppender<ILoggingEvent> appender, String source, String reason) {
    return List.copyOf(appender.list).stream()
        .filter(e -> String.valueOf(e.getMDCPropertyMap().get("pekkoSource")).startsWith(source))
        .filter(e -> e.getFormattedMessage().contains(": " + reason + ","))
        .count();
  }
}
