package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gossip.core.MessageId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Suite 4: one node hangs for 10 s. The others go on delivering, drop it from their active views
 * (by heartbeat timeout: its sockets stay open), and after the thaw it catches up through
 * anti-entropy.
 */
class FreezeTest {

  private static final String TEST = "freeze";

  @RegisterExtension final GossipClusterExtension gossip = GossipClusterExtension.withNodes(12);

  @Test
  void aFrozenNodeIsDroppedFromTheViewsAndCatchesUpAfterTheThaw(TestCluster cluster) {
    cluster.awaitConnected(Duration.ofSeconds(60));
    TestNode victim = cluster.node(5);
    cluster.await(
        "the victim to have neighbours",
        Duration.ofSeconds(60),
        () -> !victim.activeView().isEmpty());
    List<TestNode> others = cluster.nodes().stream().filter(n -> n != victim).toList();

    long frozenAt = System.nanoTime();
    cluster.freeze(victim);
    Load load =
        Load.lasting(Duration.ofSeconds(10))
            .broadcasting(
                Duration.ofMillis(200),
                () -> others.get(ThreadLocalRandom.current().nextInt(others.size())));
    cluster.await(
        "no running node to hold the frozen node in its active view",
        Duration.ofSeconds(60),
        () -> others.stream().noneMatch(n -> n.activeView().contains(victim.id())));
    Figures.print(
        TEST, "time until the frozen node left every active view", Figures.seconds(frozenAt));
    load.awaitEnd();
    List<MessageId> ids = load.broadcasts();
    cluster.awaitDelivered(ids, others, Duration.ofSeconds(60));
    long deliveredWhileFrozen = ids.stream().filter(victim::hasDelivered).count();
    Figures.print(
        TEST,
        "broadcasts during the freeze delivered by the others",
        Figures.fraction(ids.size(), ids.size()));

    long thawedAt = System.nanoTime();
    cluster.thaw(victim);
    cluster.awaitDelivered(ids, List.of(victim), Duration.ofSeconds(90));
    Figures.print(TEST, "time for the thawed node to catch up", Figures.seconds(thawedAt));
    Figures.print(
        TEST,
        "messages the frozen node had when it was thawed",
        Figures.fraction(deliveredWhileFrozen, ids.size()));
    cluster.awaitConnected(cluster.nodes(), Duration.ofSeconds(60));
    for (TestNode node : cluster.nodes()) {
      assertEquals(List.of(), List.copyOf(node.duplicates()), node + " delivered twice");
    }
  }
}
