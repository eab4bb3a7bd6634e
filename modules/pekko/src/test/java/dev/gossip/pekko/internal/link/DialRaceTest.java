package dev.gossip.pekko.internal.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.gossip.core.LinkFailed;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import dev.gossip.core.message.Neighbor;
import dev.gossip.core.message.Ping;
import dev.gossip.pekko.NodeSettings;
import dev.gossip.pekko.internal.NodeMetrics;
import dev.gossip.pekko.internal.Subscribers;
import dev.gossip.pekko.internal.Wiring;
import dev.gossip.pekko.internal.role.RoleCommand;
import dev.gossip.pekko.internal.wire.Codec;
import dev.gossip.pekko.internal.wire.DefaultFrameLimits;
import dev.gossip.pekko.internal.wire.Hello;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes dial each other at once: the link manager of node A is driven directly, and the test
 * plays peer P on raw sockets, so the order of events is fixed. A is told to connect to P and dials
 * it; before P answers that connection, P dials A and completes its own handshake; then P answers
 * A's dial. Both connections now link A and P: A must keep the one dialed by the lower node id,
 * close the other after flushing it, lose no message either way, and report no failure.
 */
class DialRaceTest {

  private static final ActorTestKit TESTKIT = ActorTestKit.create();
  private static final int FRAME_LIMIT = 64 * 1024;
  private static final Codec CODEC = new Codec(TESTKIT.system().classicSystem(), FRAME_LIMIT);

  @AfterAll
  static void stop() {
    TESTKIT.shutdownTestKit();
  }

  @Test
  void whenTheDialerOfTheLowerIdIsThisNodeItsOwnConnectionWins() throws Exception {
    // P on 127.0.0.2 orders after A on 127.0.0.1: A's outbound connection is the one kept.
    race("127.0.0.1", true);
  }

  @Test
  void whenTheDialerOfTheLowerIdIsThePeerThePeersConnectionWins() throws Exception {
    // A names itself 127.0.0.3 (its Hello only, nobody dials it by that), after P's 127.0.0.2.
    race("127.0.0.3", false);
  }

  private void race(String selfHost, boolean selfIsLower) throws Exception {
    NodeSettings settings =
        NodeSettings.load(
            ConfigFactory.parseString(
                    "gossip { preset = local, host = \"127.0.0.1\" }\n"
                        + "gossip.transport.idle-timeout = 1h")
                .withFallback(ConfigFactory.load())
                .resolve());
    NodeMetrics metrics = new NodeMetrics(10);
    TestProbe<LinkManager.BindOutcome> bound = TESTKIT.createTestProbe();
    TestProbe<RoleCommand> membership = TESTKIT.createTestProbe();
    TestProbe<RoleCommand> dissemination = TESTKIT.createTestProbe();
    TestProbe<RoleCommand> recovery = TESTKIT.createTestProbe();
    TestProbe<RoleCommand> heartbeat = TESTKIT.createTestProbe();
    TestProbe<Output> user = TESTKIT.createTestProbe();
    LinkRegistry registry = new LinkRegistry();
    ActorRef<LinkManager.Command> links =
        TESTKIT.spawn(
            LinkManager.create(
                settings,
                CODEC,
                metrics,
                null,
                registry,
                new InboundGate(metrics, 1024),
                bound.ref()));
    int port = bound.receiveMessage().bound().getPort();

    try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.2"))) {
      NodeId self = new NodeId(selfHost, port, 1);
      NodeId peer = new NodeId("127.0.0.2", listener.getLocalPort(), 1);
      assertEquals(selfIsLower, self.compareTo(peer) < 0);
      links.tell(
          new LinkManager.Wire(
              self,
              new Wiring(
                  List.of(membership.ref(), dissemination.ref(), recovery.ref(), heartbeat.ref()),
                  links,
                  registry,
                  new Subscribers(metrics, null),
                  user.ref())));

      // A dials P; P accepts and reads A's Hello but does not answer yet.
      links.tell(new LinkManager.Connect(peer));
      listener.setSoTimeout(10_000);
      try (Socket dialedByA = listener.accept();
          Socket dialedByP = new Socket("127.0.0.1", port)) {
        dialedByA.setSoTimeout(10_000);
        dialedByP.setSoTimeout(10_000);
        assertEquals(new Hello(self), readFrame(dialedByA));
        assertEquals(new Hello(self), readFrame(dialedByP));

        // P's own dial completes first: A now has a handshaken link to P and one still waiting.
        write(dialedByP, new Hello(peer), new Ping(1));
        assertEquals(
            new RoleCommand.Frames(peer, List.of(new Ping(1))), heartbeat.receiveMessage());
        // Frames A sends now go on P's connection, the only one with a handshake.
        for (int i = 0; i < 3; i++) {
          links.tell(new LinkManager.Transmit(peer, CODEC.encode(new Ping(10 + i))));
        }

        // P answers A's dial: the race is decided at A.
        write(dialedByA, new Hello(peer), new Ping(2));
        assertEquals(
            new RoleCommand.Frames(peer, List.of(new Ping(2))), heartbeat.receiveMessage());
        for (int i = 3; i < 6; i++) {
          links.tell(new LinkManager.Transmit(peer, CODEC.encode(new Ping(10 + i))));
        }

        Socket kept = selfIsLower ? dialedByA : dialedByP;
        Socket closed = selfIsLower ? dialedByP : dialedByA;
        // The connection given up is flushed and closed by A; P closes its end in turn.
        List<Object> onClosed = readUntilEnd(closed);
        closed.close();
        // A closes its end of the lost connection.
        user.awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              assertEquals(1, metrics.openLinks);
              return null;
            });
        List<Object> onKept = new ArrayList<>();
        while (onKept.size() + onClosed.size() < 6) {
          onKept.add(readFrame(kept));
        }
        // No message lost: the six Pings arrive once each, in order on each connection.
        List<Object> all = new ArrayList<>(onClosed);
        all.addAll(onKept);
        all.sort((a, b) -> Long.compare(((Ping) a).sentAt(), ((Ping) b).sentAt()));
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          expected.add(new Ping(10 + i));
        }
        assertEquals(expected, all);
        if (selfIsLower) {
          // The frames sent before the race was decided went on P's connection, and were flushed.
          assertEquals(expected.subList(0, 3), onClosed);
        } else {
          assertTrue(onClosed.isEmpty(), "A's dial carried nothing but its Hello: " + onClosed);
        }

        // The kept connection works both ways, and the lost one was no failure: membership sees
        // the marker and nothing before it.
        links.tell(new LinkManager.Transmit(peer, CODEC.encode(new Ping(99))));
        assertEquals(new Ping(99), readFrame(kept));
        write(kept, new Neighbor(false));
        RoleCommand first = membership.receiveMessage();
        assertFalse(
            first instanceof RoleCommand.Handle h && h.input() instanceof LinkFailed,
            "a failure was reported: " + first);
        assertEquals(new RoleCommand.Frames(peer, List.of(new Neighbor(false))), first);
        assertEquals(1, metrics.openLinks);
      }
    } finally {
      TESTKIT.stop(links);
    }
  }

  private static void write(Socket socket, Object... messages) throws IOException {
    OutputStream out = socket.getOutputStream();
    for (Object message : messages) {
      out.write(CODEC.encode(message).toArray());
    }
    out.flush();
  }

  /** Reads one whole frame and decodes it. */
  private static Object readFrame(Socket socket) throws Exception {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    int length = in.readInt();
    byte[] frame = new byte[4 + length];
    ByteBuffer.wrap(frame).putInt(length);
    in.readFully(frame, 4, length);
    List<Object> decoded =
        CODEC.newDecoder(DefaultFrameLimits.LIMITS).feed(ByteString.fromArray(frame));
    assertEquals(1, decoded.size());
    return decoded.get(0);
  }

  /** Reads frames until the other side closes the connection. */
  private static List<Object> readUntilEnd(Socket socket) throws Exception {
    List<Object> frames = new ArrayList<>();
    Codec.Decoder decoder = CODEC.newDecoder(DefaultFrameLimits.LIMITS);
    byte[] buffer = new byte[4096];
    int n;
    while ((n = socket.getInputStream().read(buffer)) >= 0) {
      frames.addAll(decoder.feed(ByteString.fromArray(buffer, 0, n)));
    }
    return frames;
  }
}
