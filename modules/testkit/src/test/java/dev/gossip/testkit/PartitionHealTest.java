package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.MessageId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Suite 2: 24 nodes split into two halves for 20 s, with broadcasts on both sides, then healed:
 * every message reaches every node and the overlay is one component again, without a re-join by
 * hand.
 */
class PartitionHealTest {

  private static final String TEST = "partition";

  @RegisterExtension final GossipClusterExtension gossip = GossipClusterExtension.withNodes(24);

  @Test
  void twoHalvesCutFor20sMergeAfterTheHealAndEveryMessageReachesEveryNode(TestCluster cluster) {
    cluster.awaitConnected(Duration.ofSeconds(90));
    List<TestNode> left = cluster.nodes().subList(0, 12);
    List<TestNode> right = cluster.nodes().subList(12, 24);

    cluster.partition(left, right);
    AtomicInteger turn = new AtomicInteger();
    Load load =
        Load.lasting(Duration.ofSeconds(20))
            .broadcasting(
                Duration.ofMillis(250),
                () -> {
                  int i = turn.getAndIncrement();
                  List<TestNode> side = i % 2 == 0 ? left : right;
                  return side.get((i / 2) % side.size());
                });
    load.awaitEnd();
    List<MessageId> ids = load.broadcasts();
    long crossedDuringCut =
        ids.stream()
            .filter(id -> left.stream().anyMatch(n -> n.id().equals(id.origin())))
            .filter(id -> right.stream().anyMatch(n -> n.hasDelivered(id)))
            .count();
    Figures.print(TEST, "messages broadcast during the 20 s partition", ids.size());
    Figures.print(TEST, "left-side messages that crossed during the cut", crossedDuringCut);

    long healedAt = System.nanoTime();
    cluster.heal();
    cluster.awaitDelivered(ids, cluster.nodes(), Duration.ofSeconds(120));
    Figures.print(
        TEST, "time from the heal to every message everywhere", Figures.seconds(healedAt));
    cluster.awaitConnected(cluster.nodes(), Duration.ofSeconds(120));
    Figures.print(TEST, "time from the heal to one connected overlay", Figures.seconds(healedAt));
    Figures.print(
        TEST,
        "delivered fraction",
        Figures.fraction((long) ids.size() * 24, (long) ids.size() * 24));
    assertTrue(ids.size() > 0, "no broadcast was made");
    for (TestNode node : cluster.nodes()) {
      assertEquals(List.of(), List.copyOf(node.duplicates()), node + " delivered twice");
    }
  }
}
