package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.DownReason;
import dev.gossip.core.NodeId;
import dev.gossip.core.message.Neighbor;
import dev.gossip.pekko.internal.wire.Codec;
import dev.gossip.pekko.internal.wire.Hello;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A neighbour that stops reading is disconnected as slow; the node and its other links go on. */
class SlowPeerTest {

  @Test
  void aNeighbourThatDoesNotReadIsDroppedAsSlow() throws Exception {
    // A queue of 32 frames of 64 KiB overflows at the peer that reads nothing; anti-entropy resends
    // at most 16 at once, so that a catch-up cannot overflow the queue of the peer that does read.
    String config =
        "gossip.transport.outbound-queue-size = 32\n"
            + "gossip.recovery.max-resend-per-digest = 16\n"
            + "gossip.heartbeat.failure-timeout = 60s\n"
            + "gossip.heartbeat.ping-interval = 20s";
    try (TestNode node = TestNode.start(config);
        TestNode other = TestNode.start(config)) {
      node.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
      other.gossip.join(List.of(node.address())).toCompletableFuture().get(20, TimeUnit.SECONDS);
      Codec codec = new Codec(node.system.classicSystem(), 1 << 20);
      NodeId fake = new NodeId("127.0.0.1", 1, 1);
      try (Socket socket = new Socket("127.0.0.1", node.gossip.self().port())) {
        socket.setReceiveBufferSize(4096);
        OutputStream out = socket.getOutputStream();
        out.write(codec.encode(new Hello(fake)).toArray());
        out.write(codec.encode(new Neighbor(true)).toArray());
        out.flush();
        TestNode.await(
            Duration.ofSeconds(10),
            "the silent peer to become a neighbour",
            () -> node.isNeighbor(fake));
        byte[] payload = new byte[64 * 1024];
        for (int i = 0; i < 400 && node.isNeighbor(fake); i++) {
          node.gossip.broadcast(payload).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        TestNode.await(
            Duration.ofSeconds(10),
            "NeighborDown with reason SLOW",
            () ->
                node.membershipEvents.contains(
                    new GossipEvent.NeighborDown(fake, DownReason.SLOW)));
        assertTrue(node.gossip.metrics().queueDrops() >= 1);
        // The other link kept working: everything broadcast reached the other node.
        try {
          TestNode.await(
              Duration.ofSeconds(20),
              "the other node to receive every broadcast",
              () -> other.deliveries.size() == node.deliveries.size());
        } catch (AssertionError e) {
          throw new AssertionError(
              e.getMessage()
                  + ": "
                  + other.deliveries.size()
                  + " of "
                  + node.deliveries.size()
                  + "; node's events "
                  + node.membershipEvents
                  + "; other's events "
                  + other.membershipEvents
                  + "; node "
                  + node.gossip.metrics(),
              e);
        }
      }
    }
  }
}
