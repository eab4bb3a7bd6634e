package dev.gossip.testkit;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's example: a user's application tested with the kit, every fault and the awaits. */
class ChatRoomTest {

  // README example begins
  @RegisterExtension final GossipClusterExtension gossip = GossipClusterExtension.withNodes(6);

  @Test
  void everyRoomSeesEveryLineThroughFaults(TestCluster cluster) {
    List<ChatRoom> rooms =
        cluster.nodes().stream().map(n -> new ChatRoom(n.system(), n.gossip())).toList();
    cluster.awaitConnected(Duration.ofSeconds(60));

    // Plain delivery, checked through the kit's handles.
    var hello = cluster.node(0).broadcast("hello");
    cluster.awaitDelivered(List.of(hello), Duration.ofSeconds(30));

    // Link faults: loss and delay on every link, a one-way cut, a partition, then heal.
    cluster.dropFrames(0.05);
    cluster.delayFrames(Duration.ofMillis(5), Duration.ofMillis(20));
    cluster.blackhole(cluster.node(1), cluster.node(2), Direction.SEND);
    cluster.partition(cluster.nodes().subList(0, 3), cluster.nodes().subList(3, 6));
    rooms.get(0).post("left side");
    rooms.get(5).post("right side");
    cluster.heal();
    cluster.clearFaults();

    // Process faults: a hung node and a crashed one.
    TestNode hung = cluster.node(4);
    cluster.freeze(hung);
    rooms.get(1).post("while n4 hangs");
    cluster.thaw(hung);
    cluster.kill(cluster.node(3));

    // Awaits: bounded, and on timeout they name what is missing where.
    cluster.awaitConnected(Duration.ofSeconds(60));
    cluster.awaitViewsConverged(Duration.ofSeconds(60));
    List<String> expected = List.of("hello", "left side", "right side", "while n4 hangs");
    for (TestNode node : cluster.running()) {
      ChatRoom room = rooms.get(cluster.nodes().indexOf(node));
      cluster.await(
          node.name() + "'s room to show every line",
          Duration.ofSeconds(60),
          () -> room.lines().containsAll(expected));
    }
  }
  // README example ends
}
