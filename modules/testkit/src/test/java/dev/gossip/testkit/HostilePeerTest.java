package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.Join;
import dev.gossip.pekko.GossipEvent;
import dev.gossip.pekko.MetricsSnapshot;
import dev.gossip.pekko.internal.wire.Codec;
import dev.gossip.pekko.internal.wire.Hello;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Suite 6: a hostile peer on a raw socket sends random bytes, oversize lengths, unknown types and a
 * flood of IHave for ids nobody has. The node stays up with its queues within their bounds, and the
 * other nodes are unaffected.
 */
class HostilePeerTest {

  private static final String TEST = "hostile-peer";
  private static final int INBOUND_QUEUE_SIZE = 1024;
  private static final int FLOOD_FRAMES = 2_000;
  private static final int IDS_PER_FRAME = 100;

  @RegisterExtension final GossipClusterExtension gossip = GossipClusterExtension.withNodes(8);

  @Test
  void aHostilePeerLeavesTheNodeUpAndTheOthersUnaffected(TestCluster cluster) throws Exception {
    cluster.awaitConnected(Duration.ofSeconds(90));
    TestNode target = cluster.node(0);
    int port = target.id().port();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();

    Random random = new Random(6);
    byte[] noise = new byte[64 * 1024];
    random.nextBytes(noise);
    noise[0] = 0;
    noise[1] = 0;
    noise[2] = 1;
    noise[3] = 0;
    // A plausible length then random bytes; a length far over the limit; an unknown type.
    sendUntilClosed(port, noise);
    sendUntilClosed(port, ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0).array());
    sendUntilClosed(port, new byte[] {0, 0, 0, 3, 1, 99, 0});

    // A peer that joins (so its IHave are not ignored as a stranger's), then floods IHave.
    Codec codec = new Codec(target.system().classicSystem(), 1 << 20);
    long floodStart = System.nanoTime();
    try (ServerSocket unused = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        Socket socket = new Socket("127.0.0.1", port)) {
      NodeId fake = new NodeId("127.0.0.1", unused.getLocalPort(), 1);
      CompletableFuture<Void> drain = drain(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      out.write(codec.encode(new Hello(fake)).toArray());
      out.write(codec.encode(new Join()).toArray());
      out.flush();
      // As a neighbour its IHave are taken seriously: the node tracks the ids and grafts them. It
      // may be evicted again at once (a random pick when another node takes a slot), so the test
      // waits for the node to have taken it, not for it to be in the view when next looked at.
      awaitTakenAsNeighbour(cluster, target, fake);
      out.write(floodBytes(codec));
      out.flush();
      out.flush();
      // The broadcasts of the others still get through while the flood is being read.
      List<MessageId> ids = new ArrayList<>();
      for (TestNode node : cluster.nodes()) {
        ids.add(node.broadcast("during the flood from " + node.name()));
      }
      cluster.awaitDelivered(ids, cluster.nodes(), Duration.ofSeconds(90));
      Figures.print(
          TEST, "broadcasts delivered during the flood", Figures.fraction(ids.size(), ids.size()));
      socket.shutdownOutput();
      drain.get(120, TimeUnit.SECONDS);
    }
    Figures.print(
        TEST,
        "IHave ids flooded; time until the node had read them and closed the link",
        FLOOD_FRAMES * IDS_PER_FRAME + " ids, " + Figures.seconds(floodStart));

    cluster.await(
        "the three bad frames to be counted",
        Duration.ofSeconds(30),
        () ->
            target.metrics().framesDropped().values().stream().mapToLong(Long::longValue).sum()
                >= 3);
    MetricsSnapshot m = target.metrics();
    Figures.print(TEST, "frames refused by reason", m.framesDropped());
    Figures.print(
        TEST,
        "Graft sent by the node (its missing-id table, max-missing, is overrun by the flood)",
        m.graftSent());
    Figures.print(
        TEST, "inbound queue peak", m.inboundQueuedPeak() + " (bound " + INBOUND_QUEUE_SIZE + ")");
    assertTrue(m.inboundQueuedPeak() <= INBOUND_QUEUE_SIZE, "inbound queue " + m);

    // The node still works, and so does everyone else.
    List<MessageId> after = new ArrayList<>();
    for (TestNode node : cluster.nodes()) {
      after.add(node.broadcast("after the flood from " + node.name()));
    }
    cluster.awaitDelivered(after, cluster.nodes(), Duration.ofSeconds(90));
    cluster.awaitConnected(cluster.nodes(), Duration.ofSeconds(90));
    System.gc();
    long heapAfter = memory.getHeapMemoryUsage().getUsed();
    Figures.print(
        TEST,
        "heap used by the JVM (8 nodes) before and after",
        (heapBefore >> 20) + " MiB -> " + (heapAfter >> 20) + " MiB");
    assertTrue(target.isRunning());
    for (TestNode node : cluster.nodes()) {
      assertEquals(List.of(), List.copyOf(node.duplicates()), node + " delivered twice");
    }
  }

  private static void awaitTakenAsNeighbour(TestCluster cluster, TestNode target, NodeId fake) {
    try {
      cluster.await(
          "the node to take the hostile peer into its active view",
          Duration.ofSeconds(30),
          () -> target.events().contains(new GossipEvent.NeighborUp(fake)));
    } catch (AssertionError e) {
      List<GossipEvent> about =
          target.events().stream()
              .filter(
                  event ->
                      event instanceof GossipEvent.NeighborUp
                          || event instanceof GossipEvent.NeighborDown)
              .toList();
      throw new AssertionError(e.getMessage() + "; its neighbour events: " + about, e);
    }
  }

  /** Sends bytes on a fresh connection and waits, bounded, for the node to close it. */
  private static void sendUntilClosed(int port, byte[] bytes) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(60_000);
      CompletableFuture<Void> drain = drain(socket.getInputStream());
      try {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
      } catch (IOException closedWhileWriting) {
        // The node closed the link before it read everything: that is the point.
      }
      drain.get(90, TimeUnit.SECONDS);
    }
  }

  /** Reads and discards until the node closes the connection. */
  private static CompletableFuture<Void> drain(InputStream in) {
    return CompletableFuture.runAsync(
        () -> {
          byte[] buffer = new byte[8192];
          try {
            while (in.read(buffer) >= 0) {
              // discard Hello, Neighbor, Graft, Ping...
            }
          } catch (SocketTimeoutException e) {
            throw new IllegalStateException("the node did not close the connection", e);
          } catch (IOException reset) {
            // closed by the node with a reset
          }
        });
  }

  /** IHave frames for messages of an origin nobody has heard of. */
  private static byte[] floodBytes(Codec codec) {
    NodeId origin = new NodeId("127.0.0.1", 2, 2);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long seq = 1;
    for (int i = 0; i < FLOOD_FRAMES; i++) {
      List<Announcement> announcements = new ArrayList<>();
      for (int k = 0; k < IDS_PER_FRAME; k++) {
        announcements.add(new Announcement(new MessageId(origin, seq++), 1));
      }
      byte[] frame = codec.encode(new IHave(announcements)).toArray();
      bytes.write(frame, 0, frame.length);
    }
    return bytes.toByteArray();
  }
}
