package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two overlays of 4 nodes in one loopback address range, each with its own CA, and four nodes that
 * try to get into the first with bad credentials. Each node binds its own 127.0.0.x address, which
 * its certificate names (IP subjectAltName), with a free port.
 */
class TlsClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final LoopbackNodes nodes = new LoopbackNodes();

  @AfterEach
  void stopAll() {
    nodes.close();
  }

  private TestNode start(String host, String config) {
    return nodes.start(host, config);
  }

  /** Starts 4 nodes with the certificates "prefix1".."prefix4" of {@code ca}. */
  private List<TestNode> overlay(Certs certs, String prefix, String ca, int firstHost) {
    List<TestNode> overlay = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      overlay.add(start("127.0.0." + (firstHost + i), certs.config(prefix + (i + 1), ca)));
    }
    return overlay;
  }

  private static void join(TestNode node, TestNode... contacts) throws Exception {
    List<String> addresses = new ArrayList<>();
    for (TestNode contact : contacts) {
      addresses.add(contact.address());
    }
    node.gossip.join(addresses).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static MessageId broadcast(TestNode from, String text) throws Exception {
    return from.gossip
        .broadcast(text.getBytes(StandardCharsets.UTF_8))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static void awaitDelivered(List<TestNode> at, MessageId id) {
    TestNode.await(
        WAIT, "every node to deliver " + id, () -> at.stream().allMatch(n -> n.delivered(id) == 1));
  }

  private static void awaitRejection(TestNode at, TlsRejection reason) {
    TestNode.await(
        WAIT,
        at.address() + " to refuse a connection as " + reason,
        () -> at.gossip.metrics().tlsRejections(reason) >= 1);
  }

  private static boolean everUp(TestNode at, NodeId peer) {
    return at.membershipEvents.stream()
        .anyMatch(e -> e instanceof GossipEvent.NeighborUp u && u.peer().sameAddress(peer));
  }

  @Test
  void onlyNodesWithTheRightCaAndTheirOwnIdentityGetIn() throws Exception {
    Certs certs = new Certs(dir);
    certs.run(List.of(Certs.ca("ca-a"), Certs.ca("ca-b")));
    List<List<String>> keys = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      keys.add(Certs.node("a" + (i + 1), "ca-a", "ip:127.0.0." + (21 + i)));
      keys.add(Certs.node("b" + (i + 1), "ca-b", "ip:127.0.0." + (25 + i)));
    }
    keys.add(Certs.selfSigned("self-signed", "ip:127.0.0.29"));
    keys.add(Certs.node("expired", "ca-a", "ip:127.0.0.30", "-3d", "1"));
    keys.add(Certs.node("impostor", "ca-a", "ip:127.0.0.31"));
    certs.run(keys);

    List<TestNode> a = overlay(certs, "a", "ca-a", 21);
    List<TestNode> b = overlay(certs, "b", "ca-b", 25);
    join(a.get(0));
    join(b.get(0));
    for (int i = 1; i < 3; i++) {
      join(a.get(i), a.get(0));
      join(b.get(i), b.get(0));
    }
    // The last node of each overlay tries a node of the other first: as the dialing side it sees
    // a server certificate of a foreign CA, refuses it, and goes on to its own overlay.
    join(a.get(3), b.get(1), a.get(0));
    join(b.get(3), a.get(1), b.get(0));
    assertTrue(a.get(3).gossip.metrics().tlsRejections(TlsRejection.UNTRUSTED) >= 1);
    assertTrue(b.get(3).gossip.metrics().tlsRejections(TlsRejection.UNTRUSTED) >= 1);
    awaitDelivered(a, broadcast(a.get(0), "a formed"));
    awaitDelivered(b, broadcast(b.get(0), "b formed"));

    // Intruders trusting CA A, each knocking at another node of A; the accepting node refuses
    // them. The self-signed node's client sends no certificate at all (the JDK offers only one
    // issued by a CA the server names); the expired one is CA A's; the impostor's certificate
    // names 127.0.0.31 while it announces a2's host; the last one does not speak TLS.
    TestNode selfSigned = start("127.0.0.29", certs.config("self-signed", "ca-a"));
    TestNode expired = start("127.0.0.30", certs.config("expired", "ca-a"));
    TestNode impostor =
        start(
            "127.0.0.31",
            certs.config("impostor", "ca-a") + "\ngossip.advertised-host = \"127.0.0.22\"");
    TestNode plain = start("127.0.0.32", "gossip.tls.enabled = off");
    List<TestNode> intruders = List.of(selfSigned, expired, impostor, plain);
    plain.gossip.join(List.of(a.get(0).address()));
    selfSigned.gossip.join(List.of(a.get(1).address()));
    expired.gossip.join(List.of(a.get(2).address()));
    impostor.gossip.join(List.of(a.get(3).address()));
    awaitRejection(a.get(1), TlsRejection.UNTRUSTED);
    awaitRejection(a.get(2), TlsRejection.EXPIRED);
    awaitRejection(a.get(3), TlsRejection.IDENTITY_MISMATCH);
    awaitRejection(a.get(0), TlsRejection.HANDSHAKE_FAILED);

    List<MessageId> foreign = new ArrayList<>();
    for (TestNode intruder : intruders) {
      foreign.add(broadcast(intruder, "from an intruder"));
    }
    foreign.add(broadcast(b.get(2), "from overlay B"));
    // A broadcast of A that reaches every node of A after the foreign ones were sent: had those
    // reached A, they would have had as long.
    MessageId marker = broadcast(a.get(3), "a after the intruders");
    awaitDelivered(a, marker);
    for (TestNode node : a) {
      for (MessageId id : foreign) {
        assertEquals(0, node.delivered(id), node.address() + " delivered " + id);
      }
      for (TestNode outsider : intruders) {
        assertTrue(!everUp(node, outsider.gossip.self()), node.address() + " took in an intruder");
      }
      for (TestNode other : b) {
        assertTrue(!everUp(node, other.gossip.self()), node.address() + " took in a node of B");
      }
    }
    for (TestNode node : a.subList(1, 4)) {
      assertEquals(0, node.gossip.metrics().tlsRejections(TlsRejection.HANDSHAKE_FAILED));
    }
    for (TestNode intruder : intruders) {
      assertEquals(0, intruder.gossip.metrics().activeViewSize(), intruder.address());
    }
  }
}
