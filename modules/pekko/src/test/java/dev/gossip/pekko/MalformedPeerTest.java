package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gossip.core.MessageId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Raw sockets sending bad frames: their links are closed and counted, the overlay goes on. */
class MalformedPeerTest {

  private final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(TestNode::close);
  }

  @Test
  void badFramesCloseTheirLinkAndAreCountedByReason() throws Exception {
    TestNode target = TestNode.start();
    nodes.add(target);
    target.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    for (int i = 0; i < 3; i++) {
      TestNode node = TestNode.start();
      nodes.add(node);
      node.gossip.join(List.of(target.address())).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
    int port = target.gossip.self().port();

    RawPeer.assertClosedAfter(
        port, RawPeer.frame(1, 0, "not cbor at all".getBytes(StandardCharsets.UTF_8)));
    RawPeer.assertClosedAfter(port, ByteBuffer.allocate(4).putInt(64 << 20).array());
    RawPeer.assertClosedAfter(port, RawPeer.frame(1, 77, new byte[] {1, 2, 3}));
    RawPeer.assertClosedAfter(port, RawPeer.frame(9, 30, new byte[] {0}));

    TestNode.await(
        Duration.ofSeconds(10),
        "the four drops to be counted",
        () -> {
          MetricsSnapshot m = target.gossip.metrics();
          return m.framesDropped(DropReason.MALFORMED) == 1
              && m.framesDropped(DropReason.OVERSIZE) == 1
              && m.framesDropped(DropReason.UNKNOWN_TYPE) == 1
              && m.framesDropped(DropReason.WRONG_VERSION) == 1;
        });

    List<MessageId> ids = new ArrayList<>();
    for (TestNode node : nodes) {
      ids.add(
          node.gossip.broadcast(new byte[] {42}).toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
    TestNode.await(
        Duration.ofSeconds(20),
        "the broadcasts to reach every node",
        () -> nodes.stream().allMatch(n -> ids.stream().allMatch(id -> n.delivered(id) == 1)));
  }

  @Test
  void dropsAreLoggedAtMostOncePerReasonPerIntervalAndAlwaysCounted() throws Exception {
    TestNode target = TestNode.start("gossip.transport.drop-log-interval = 1h");
    nodes.add(target);
    String source = "pekko://" + target.system.name() + "/";
    Logger logger = (Logger) LoggerFactory.getLogger("dev.gossip.pekko.internal.LinkManager");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      int port = target.gossip.self().port();
      for (int i = 0; i < 3; i++) {
        RawPeer.assertClosedAfter(port, RawPeer.frame(1, 0, new byte[] {(byte) 0xff, 1, 2}));
      }
      for (int i = 0; i < 2; i++) {
        RawPeer.assertClosedAfter(port, RawPeer.frame(1, 99, new byte[] {1}));
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
