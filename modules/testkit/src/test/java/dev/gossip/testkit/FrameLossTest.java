package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gossip.core.MessageId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Suite 5: 5 % of the frames on every link are lost; recovery still delivers every message. */
class FrameLossTest {

  private static final String TEST = "frame-loss";

  @RegisterExtension final GossipClusterExtension gossip = GossipClusterExtension.withNodes(16);

  @Test
  void withFivePercentLossOnEveryLinkEveryMessageIsDelivered(TestCluster cluster) {
    cluster.awaitConnected(Duration.ofSeconds(90));
    cluster.dropFrames(0.05);
    AtomicInteger turn = new AtomicInteger();
    Load load =
        Load.lasting(Duration.ofSeconds(10))
            .broadcasting(
                Duration.ofMillis(50),
                () -> cluster.node(turn.getAndIncrement() % cluster.nodes().size()));
    load.awaitEnd();
    List<MessageId> ids = load.broadcasts();
    long lastSentAt = System.nanoTime();
    long firstPass =
        cluster.nodes().stream().mapToLong(n -> ids.stream().filter(n::hasDelivered).count()).sum();
    cluster.awaitDelivered(ids, cluster.nodes(), Duration.ofSeconds(120));
    long grafts = cluster.nodes().stream().mapToLong(n -> n.metrics().graftSent()).sum();
    Figures.print(TEST, "messages", ids.size());
    Figures.print(
        TEST,
        "delivered when the last was broadcast",
        Figures.fraction(firstPass, (long) ids.size() * 16));
    Figures.print(
        TEST,
        "delivered through recovery",
        Figures.fraction((long) ids.size() * 16, (long) ids.size() * 16)
            + ", all within "
            + Figures.seconds(lastSentAt)
            + " of the last broadcast");
    Figures.print(TEST, "frames dropped by the fault stage", cluster.framesDropped());
    Figures.print(TEST, "Graft messages sent", grafts);
    for (TestNode node : cluster.nodes()) {
      assertEquals(List.of(), List.copyOf(node.duplicates()), node + " delivered twice");
    }
  }
}
