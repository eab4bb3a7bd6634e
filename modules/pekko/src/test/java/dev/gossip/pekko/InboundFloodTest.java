package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.Neighbor;
import dev.gossip.pekko.internal.wire.Codec;
import dev.gossip.pekko.internal.wire.Hello;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A hostile peer floods a node with valid frames (IHave for ids nobody has) as fast as TCP takes
 * them: the node reads only as fast as its roles work, so the inbound queue never passes its bound,
 * and the node goes on serving its real neighbour.
 */
class InboundFloodTest {

  private static final int INBOUND_LIMIT = 64;
  private static final int FLOOD_FRAMES = 30_000;

  @Test
  void aFloodingPeerIsReadOnlyAsFastAsTheRolesWorkAndTheNodeStaysResponsive() throws Exception {
    String config =
        "gossip.transport.inbound-queue-size = "
            + INBOUND_LIMIT
            + "\n"
            // The fake peer never answers Ping; keep it a neighbour for the whole test.
            + "gossip.heartbeat.failure-timeout = 60s\n"
            + "gossip.heartbeat.ping-interval = 20s";
    try (TestNode target = TestNode.start(config);
        TestNode other = TestNode.start(config)) {
      target.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
      other.gossip.join(List.of(target.address())).toCompletableFuture().get(20, TimeUnit.SECONDS);
      flood(target, other);
    }
  }

  private static void flood(TestNode target, TestNode other) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", target.gossip.self().port())) {
      Codec codec = new Codec(target.system.classicSystem(), 1 << 20);
      NodeId fake = new NodeId("127.0.0.1", 1, 1);
      byte[] flood = floodBytes(codec, fake);
      byte[] marker = codec.encode(new Neighbor(true)).toArray();

      // Read and discard what the node sends (Hello, Graft for the announced ids).
      InputStream in = socket.getInputStream();
      CompletableFuture<Void> drain =
          CompletableFuture.runAsync(
              () -> {
                byte[] buffer = new byte[8192];
                try {
                  while (in.read(buffer) >= 0) {
                    // discard
                  }
                } catch (IOException closed) {
                  // the test closed the socket
                }
              });
      OutputStream out = socket.getOutputStream();
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  out.write(codec.encode(new Hello(fake)).toArray());
                  out.write(flood);
                  out.write(marker);
                  out.flush();
                } catch (IOException e) {
                  throw new IllegalStateException("the node closed the flooding link", e);
                }
              });

      // While the flood goes on, the real neighbours still exchange broadcasts both ways.
      MessageId fromOther =
          other.gossip.broadcast(new byte[] {1}).toCompletableFuture().get(5, TimeUnit.SECONDS);
      MessageId fromTarget =
          target.gossip.broadcast(new byte[] {2}).toCompletableFuture().get(5, TimeUnit.SECONDS);
      TestNode.await(
          Duration.ofSeconds(30),
          "both broadcasts delivered at both real nodes",
          () ->
              target.delivered(fromOther) == 1
                  && other.delivered(fromTarget) == 1
                  && target.delivered(fromTarget) == 1
                  && other.delivered(fromOther) == 1);

      // The marker after the flood is handled: the node read every frame the peer sent.
      writer.get(60, TimeUnit.SECONDS);
      TestNode.await(
          Duration.ofSeconds(60),
          "the Neighbor frame after the flood to be handled",
          () -> target.isNeighbor(fake));
      TestNode.await(
          Duration.ofSeconds(30),
          "the inbound queue to drain",
          () -> target.gossip.metrics().inboundQueued() == 0);
      MetricsSnapshot m = target.gossip.metrics();
      assertTrue(
          m.inboundQueuedPeak() <= INBOUND_LIMIT,
          "inbound queue peaked at " + m.inboundQueuedPeak() + ", bound " + INBOUND_LIMIT);
      assertTrue(m.inboundQueuedPeak() > 0, "the flood went through the inbound queue");
      socket.shutdownInput();
      drain.get(10, TimeUnit.SECONDS);
    }
  }

  /** IHave frames, four announcements each, for messages of an origin nobody has heard of. */
  private static byte[] floodBytes(Codec codec, NodeId fake) {
    NodeId origin = new NodeId("127.0.0.1", 2, 2);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < FLOOD_FRAMES; i++) {
      List<Announcement> announcements =
          List.of(
              new Announcement(new MessageId(origin, 4L * i + 1), 1),
              new Announcement(new MessageId(origin, 4L * i + 2), 1),
              new Announcement(new MessageId(origin, 4L * i + 3), 1),
              new Announcement(new MessageId(origin, 4L * i + 4), 1));
      byte[] frame = codec.encode(new IHave(announcements)).toArray();
      bytes.write(frame, 0, frame.length);
    }
    return bytes.toByteArray();
  }
}
