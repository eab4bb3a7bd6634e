package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.MessageId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real nodes on loopback, one ActorSystem each. */
class ClusterTest {

  private final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(TestNode::close);
  }

  private List<TestNode> startOverlay(int n) throws Exception {
    TestNode contact = TestNode.start();
    nodes.add(contact);
    contact.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    for (int i = 1; i < n; i++) {
      nodes.add(TestNode.start());
    }
    for (TestNode node : nodes.subList(1, n)) {
      node.gossip.join(List.of(contact.address())).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
    return nodes;
  }

  @Test
  void sixteenNodesJoinedThroughOneContactDeliverEveryBroadcastExactlyOnce() throws Exception {
    List<TestNode> overlay = startOverlay(16);
    List<MessageId> ids = new ArrayList<>();
    for (TestNode node : overlay) {
      byte[] payload = ("from " + node.address()).getBytes(StandardCharsets.UTF_8);
      ids.add(node.gossip.broadcast(payload).toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
    TestNode.await(
        Duration.ofSeconds(30),
        "every node to deliver all 16 broadcasts",
        () -> overlay.stream().allMatch(n -> ids.stream().allMatch(id -> n.delivered(id) >= 1)));
    // Let late duplicates, if any, arrive before counting.
    TestNode.await(
        Duration.ofSeconds(10),
        "the anti-entropy and IHave traffic of the broadcasts to settle",
        () -> overlay.stream().allMatch(n -> n.gossip.metrics().activeViewSize() >= 1));
    for (TestNode node : overlay) {
      for (MessageId id : ids) {
        assertEquals(1, node.delivered(id), node.address() + " delivered " + id);
      }
    }
    MetricsSnapshot m = overlay.get(5).gossip.metrics();
    assertEquals(16, m.delivered());
    // RMR and LDH over the recent window: every node received Gossip for the 15 others'
    // broadcasts, at least one hop away; with at most 5 neighbours some of the 16 nodes are
    // further.
    int highestLdh = 0;
    for (TestNode node : overlay) {
      MetricsSnapshot s = node.gossip.metrics();
      assertTrue(s.rmr() >= 0, node.address() + " RMR " + s.rmr());
      assertEquals(s.duplicates() > 0, s.rmr() > 0, node.address() + " RMR against duplicates");
      assertTrue(s.ldh() >= 1 && s.ldh() <= 15, node.address() + " LDH " + s.ldh());
      highestLdh = Math.max(highestLdh, s.ldh());
    }
    assertTrue(highestLdh >= 2, "highest LDH " + highestLdh);
  }

  @Test
  void aKilledNodeIsReplacedAndLaterBroadcastsReachEverySurvivor() throws Exception {
    List<TestNode> overlay = startOverlay(8);
    TestNode victim = overlay.get(3);
    dev.gossip.core.NodeId victimId = victim.gossip.self();
    TestNode.await(
        Duration.ofSeconds(20),
        "the victim to have neighbours",
        () -> victim.gossip.metrics().activeViewSize() >= 2);
    nodes.remove(victim);
    victim.close();
    List<TestNode> survivors = new ArrayList<>(nodes);
    TestNode.await(
        Duration.ofSeconds(20),
        "a NeighborDown for the killed node with reason CONNECTION_LOST",
        () ->
            survivors.stream()
                .anyMatch(
                    n ->
                        n.membershipEvents.contains(
                            new GossipEvent.NeighborDown(
                                victimId, dev.gossip.core.DownReason.CONNECTION_LOST))));
    // No survivor still holds the dead node in its active view, and every view is refilled.
    TestNode.await(
        Duration.ofSeconds(20),
        "every survivor to have replaced the killed node",
        () ->
            survivors.stream()
                .allMatch(
                    n -> n.gossip.metrics().activeViewSize() >= 1 && !n.isNeighbor(victimId)));
    List<MessageId> ids = new ArrayList<>();
    for (TestNode node : survivors) {
      ids.add(
          node.gossip
              .broadcast("after the crash".getBytes(StandardCharsets.UTF_8))
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS));
    }
    TestNode.await(
        Duration.ofSeconds(30),
        "every survivor to deliver every later broadcast",
        () -> survivors.stream().allMatch(n -> ids.stream().allMatch(id -> n.delivered(id) >= 1)));
    for (TestNode node : survivors) {
      for (MessageId id : ids) {
        assertEquals(1, node.delivered(id), node.address() + " delivered " + id);
      }
    }
  }
}
