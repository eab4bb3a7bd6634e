package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.MessageId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Suite 3: 60 s of churn (nodes joining, leaving, crashing) while broadcasting. Every message from
 * a node live throughout reaches every node live throughout.
 */
class ChurnTest {

  private static final String TEST = "churn";

  @RegisterExtension final GossipClusterExtension gossip = GossipClusterExtension.withNodes(16);

  @Test
  void underChurnEveryMessageOfAStableNodeReachesEveryStableNode(TestCluster cluster) {
    cluster.awaitConnected(Duration.ofSeconds(90));
    List<TestNode> stable = cluster.nodes().subList(0, 8);
    List<TestNode> churning = new ArrayList<>(cluster.nodes().subList(8, 16));
    AtomicInteger joins = new AtomicInteger();
    AtomicInteger leaves = new AtomicInteger();
    AtomicInteger crashes = new AtomicInteger();
    AtomicInteger turn = new AtomicInteger();
    Load load =
        Load.lasting(Duration.ofSeconds(60))
            .broadcasting(
                Duration.ofMillis(250), () -> stable.get(turn.getAndIncrement() % stable.size()))
            .every(
                Duration.ofMillis(500),
                () -> {
                  // One step: a churning node leaves or crashes, and a new one joins.
                  TestNode out =
                      churning.remove(ThreadLocalRandom.current().nextInt(churning.size()));
                  if (ThreadLocalRandom.current().nextBoolean()) {
                    cluster.leave(out);
                    leaves.incrementAndGet();
                  } else {
                    cluster.kill(out);
                    crashes.incrementAndGet();
                  }
                  churning.add(cluster.addNode());
                  joins.incrementAndGet();
                  // Churning nodes broadcast too; their messages are not part of the promise.
                  churning.get(0).broadcastAsync(new byte[] {1});
                });
    load.awaitEnd();
    List<MessageId> ids = load.broadcasts();
    long endedAt = System.nanoTime();
    long firstPass =
        stable.stream().mapToLong(n -> ids.stream().filter(n::hasDelivered).count()).sum();
    cluster.awaitDelivered(ids, stable, Duration.ofSeconds(120));
    Figures.print(
        TEST,
        "churn in 60 s",
        joins.get() + " joins, " + leaves.get() + " leaves, " + crashes.get() + " crashes");
    Figures.print(TEST, "messages from stable nodes", ids.size());
    Figures.print(
        TEST,
        "delivered at the stable nodes when the churn ended",
        Figures.fraction(firstPass, (long) ids.size() * stable.size()));
    Figures.print(
        TEST,
        "delivered at the stable nodes",
        Figures.fraction((long) ids.size() * stable.size(), (long) ids.size() * stable.size())
            + ", all within "
            + Figures.seconds(endedAt)
            + " of the end of the churn");
    cluster.awaitConnected(cluster.running(), Duration.ofSeconds(120));
    assertTrue(joins.get() > 0, "no churn happened");
    for (TestNode node : stable) {
      assertEquals(List.of(), List.copyOf(node.duplicates()), node + " delivered twice");
    }
  }
}
