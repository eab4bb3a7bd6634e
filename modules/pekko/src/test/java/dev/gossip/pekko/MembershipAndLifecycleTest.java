package dev.gossip.pekko;

import static dev.gossip.core.DownReason.LEFT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The membership API, and the API calls whose order or arguments once stopped a node. */
class MembershipAndLifecycleTest {

  private final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(TestNode::close);
  }

  private TestNode start() {
    TestNode node = TestNode.start();
    nodes.add(node);
    return node;
  }

  /** A node that started a new overlay. */
  private TestNode startOverlay() throws Exception {
    TestNode node = start();
    node.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    return node;
  }

  /** A node whose join through {@code contact} completed. */
  private TestNode joinedThrough(TestNode contact) throws Exception {
    TestNode node = start();
    node.gossip.join(List.of(contact.address())).toCompletableFuture().get(20, TimeUnit.SECONDS);
    return node;
  }

  @Test
  void theViewsAreASnapshotAndEveryChangeAnEvent() throws Exception {
    TestNode a = start();
    TestNode b = start();
    TestNode c = start();
    assertEquals(new Membership(a.gossip.self(), List.of(), List.of()), a.gossip.membership());
    a.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    b.gossip.join(List.of(a.address())).toCompletableFuture().get(20, TimeUnit.SECONDS);
    c.gossip.join(List.of(a.address())).toCompletableFuture().get(20, TimeUnit.SECONDS);
    TestNode.await(
        Duration.ofSeconds(10),
        "a's active view to hold b and c",
        () ->
            Set.copyOf(a.gossip.membership().activeView())
                .equals(Set.of(b.gossip.self(), c.gossip.self())));
    Membership now = a.gossip.membership();
    assertEquals(a.gossip.self(), now.self());
    assertTrue(now.known().containsAll(now.activeView()));
    // The last MembershipChanged event a received is the snapshot it now returns.
    TestNode.await(
        Duration.ofSeconds(10),
        "the change events to reach the subscriber",
        () -> {
          List<GossipEvent> events = a.membershipEvents;
          for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i) instanceof GossipEvent.MembershipChanged changed) {
              return changed.membership().equals(a.gossip.membership());
            }
          }
          return false;
        });
  }

  @Test
  void aContactListOfOnlyThisNodeStartsANewOverlay() throws Exception {
    TestNode node = start();
    node.gossip.join(List.of(node.address())).toCompletableFuture().get(5, TimeUnit.SECONDS);
    node.gossip.broadcast(new byte[] {1}).toCompletableFuture().get(5, TimeUnit.SECONDS);
    TestNode.await(Duration.ofSeconds(5), "its own delivery", () -> node.deliveries.size() == 1);
  }

  @Test
  void leavingIsFinalAndJoiningAfterItFailsTyped() throws Exception {
    TestNode node = start();
    node.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    node.gossip.leave().toCompletableFuture().get(5, TimeUnit.SECONDS);
    // A NotJoinedException whose message does not send the user back to join().
    assertThrows(LeftOverlayException.class, () -> node.gossip.publish(new byte[1]));
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> node.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS));
    LeftOverlayException left = assertInstanceOf(LeftOverlayException.class, e.getCause());
    assertTrue(left.getMessage().contains("start a new node"), left.getMessage());
    // The node still answers.
    assertEquals(0, node.gossip.metrics().activeViewSize());
  }

  @Test
  void afterItsActorSystemTerminatedTheNodeFailsEveryCallAtOnceTyped() throws Exception {
    // Without the check a broadcast's stage would wait for ever on an actor that is gone.
    TestNode contact = startOverlay();
    TestNode node = joinedThrough(contact);
    TestNode.await(
        Duration.ofSeconds(10), "a link up", () -> node.gossip.metrics().activeViewSize() == 1);
    node.close();
    assertThrows(NodeStoppedException.class, () -> node.gossip.publish(new byte[1]));
    for (CompletionStage<?> stage :
        List.of(
            node.gossip.broadcast(new byte[1]),
            node.gossip.broadcast(new byte[1], Confirmation.byNeighbors(1, Duration.ofSeconds(1))),
            node.gossip.leave(),
            node.gossip.join(List.of()))) {
      assertTrue(stage.toCompletableFuture().isCompletedExceptionally(), "failed at once");
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> stage.toCompletableFuture().get());
      assertInstanceOf(NodeStoppedException.class, e.getCause());
    }
    // A dead node must not look healthy to a metrics scrape.
    assertEquals(0, node.gossip.metrics().activeViewSize());
    assertEquals(0, node.gossip.metrics().openLinks());
  }

  @Test
  void leaveCompletesOnceTheNeighboursWereToldSoTheSystemMayStopRightAfter() throws Exception {
    TestNode a = startOverlay();
    TestNode b = joinedThrough(a);
    TestNode.await(Duration.ofSeconds(10), "b up at a", () -> a.isNeighbor(b.gossip.self()));
    b.gossip.leave().toCompletableFuture().get(10, TimeUnit.SECONDS);
    b.system.terminate();
    TestNode.await(
        Duration.ofSeconds(10),
        "a to see b leave, not fail",
        () -> a.membershipEvents.contains(new GossipEvent.NeighborDown(b.gossip.self(), LEFT)));
  }

  @Test
  void aSourceWithoutABufferIsRefusedOnTheCallersThread() {
    TestNode node = start();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> node.gossip.events(0));
    assertTrue(e.getMessage().contains("bufferSize"), e.getMessage());
  }
}
