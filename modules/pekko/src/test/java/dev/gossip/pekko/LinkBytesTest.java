package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.MessageId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The link byte counters: what one node writes, the other reads. */
class LinkBytesTest {

  private static final int BROADCASTS = 10;
  private static final int PAYLOAD = 1_000;

  @Test
  void bytesSentByOneNodeAreTheBytesReceivedByTheOther() throws Exception {
    try (TestNode a = TestNode.start();
        TestNode b = TestNode.start()) {
      a.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
      b.gossip.join(List.of(a.address())).toCompletableFuture().get(20, TimeUnit.SECONDS);
      List<MessageId> ids = new ArrayList<>();
      for (int i = 0; i < BROADCASTS; i++) {
        ids.add(
            a.gossip.broadcast(new byte[PAYLOAD]).toCompletableFuture().get(5, TimeUnit.SECONDS));
      }
      TestNode.await(
          Duration.ofSeconds(30),
          "b to deliver every broadcast",
          () -> ids.stream().allMatch(id -> b.delivered(id) == 1));
      // Heartbeats keep both links busy; wait for a moment when nothing is in flight.
      TestNode.await(
          Duration.ofSeconds(30),
          "each side's bytes sent to equal the other's bytes received",
          () -> {
            MetricsSnapshot ma = a.gossip.metrics();
            MetricsSnapshot mb = b.gossip.metrics();
            return ma.bytesSent() == mb.bytesReceived() && mb.bytesSent() == ma.bytesReceived();
          });
      long sent = a.gossip.metrics().bytesSent();
      assertTrue(sent >= (long) BROADCASTS * PAYLOAD, "a sent " + sent + " bytes");
    }
  }
}
