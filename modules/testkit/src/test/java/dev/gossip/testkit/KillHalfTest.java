package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gossip.core.MessageId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Suite 1: 32 nodes, half of them killed at once (no Leave). Every later broadcast reaches every
 * survivor and the survivors' overlay is one connected component again.
 */
class KillHalfTest {

  private static final String TEST = "kill-half";

  @RegisterExtension final GossipClusterExtension gossip = GossipClusterExtension.withNodes(32);

  @Test
  void afterHalfTheNodesCrashEveryLaterBroadcastReachesEverySurvivor(TestCluster cluster) {
    cluster.awaitConnected(Duration.ofSeconds(90));
    Figures.print(
        TEST,
        "nodes connected before the kill",
        cluster.running().size()
            + " in "
            + cluster.components(cluster.running()).size()
            + " component");
    List<TestNode> shuffled = new ArrayList<>(cluster.nodes());
    Collections.shuffle(shuffled, new Random(6));
    List<TestNode> victims = shuffled.subList(0, 16);
    List<TestNode> survivors = shuffled.subList(16, 32);

    long killedAt = System.nanoTime();
    cluster.kill(victims);
    Figures.print(TEST, "time to stop 16 nodes", Figures.seconds(killedAt));
    // The first broadcast after the kill: its time to full delivery is the figure of interest.
    MessageId first = survivors.get(0).broadcast("first after the kill");
    cluster.awaitDelivered(List.of(first), survivors, Duration.ofSeconds(90));
    Figures.print(TEST, "time from the kill to the first full delivery", Figures.seconds(killedAt));

    List<MessageId> later = new ArrayList<>();
    for (TestNode node : survivors) {
      later.add(node.broadcast("later from " + node.name()));
    }
    long laterAt = System.nanoTime();
    cluster.awaitDelivered(later, survivors, Duration.ofSeconds(90));
    Figures.print(
        TEST,
        "later broadcasts delivered at the survivors",
        Figures.fraction((long) later.size() * survivors.size(), (long) later.size() * 16)
            + " in "
            + Figures.seconds(laterAt));

    cluster.awaitConnected(survivors, Duration.ofSeconds(90));
    cluster.awaitViewsConverged(survivors, Duration.ofSeconds(90));
    Figures.print(TEST, "time from the kill to a converged overlay", Figures.seconds(killedAt));
    for (TestNode node : survivors) {
      assertEquals(List.of(), List.copyOf(node.duplicates()), node + " delivered twice");
    }
  }
}
