package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
  }
}
