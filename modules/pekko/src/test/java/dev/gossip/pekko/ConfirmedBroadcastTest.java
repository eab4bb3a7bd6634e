package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.pekko.BroadcastNotConfirmedException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Broadcasts confirmed by neighbours' acks, over loopback: met, unmet, refused, bounded. */
class ConfirmedBroadcastTest {

  private static final Duration LONG = Duration.ofSeconds(20);

  /** The heartbeat must not take a muted neighbour down while a confirmation waits. */
  private static final String PATIENT_HEARTBEAT = "gossip.heartbeat.failure-timeout = 60 s\n";

  private final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(TestNode::close);
  }

  /** Drops every frame its node sends once muted: the node receives but never answers. */
  private static final class Mute implements LinkFaults {
    volatile boolean muted;

    @Override
    public long outbound(NodeId self, NodeId peer) {
      return muted ? DROP : PASS;
    }
  }

  /** A two-node overlay: {@code a} (with {@code faults}) starts it, the origin joins it. */
  private TestNode[] pair(String originConfig, LinkFaults faults) throws Exception {
    TestNode a = TestNode.start(PATIENT_HEARTBEAT, faults);
    nodes.add(a);
    TestNode origin = TestNode.start(PATIENT_HEARTBEAT + originConfig);
    nodes.add(origin);
    a.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    origin.gossip.join(List.of(a.address())).toCompletableFuture().get(20, TimeUnit.SECONDS);
    return new TestNode[] {a, origin};
  }

  private static BroadcastNotConfirmedException notConfirmed(CompletionStage<MessageId> stage) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> stage.toCompletableFuture().get(LONG.toSeconds(), TimeUnit.SECONDS));
    return assertInstanceOf(BroadcastNotConfirmedException.class, e.getCause());
  }

  @Test
  void oneNeighbourConfirmsOnATwoNodeOverlay() throws Exception {
    TestNode[] pair = pair("", null);
    TestNode a = pair[0];
    TestNode origin = pair[1];

    // Right after join() completes: the origin's dissemination role already knows its neighbour.
    MessageId id =
        origin
            .gossip
            .broadcast(new byte[] {1}, Confirmation.byNeighbors(1, Duration.ofSeconds(10)))
            .toCompletableFuture()
            .get(LONG.toSeconds(), TimeUnit.SECONDS);

    TestNode.await(LONG, "the neighbour's delivery", () -> a.delivered(id) == 1);
    // The origin's own subscribers get it on their own path, not before the stage completes.
    TestNode.await(LONG, "the origin's own delivery", () -> origin.delivered(id) == 1);
  }

  @Test
  void moreAcksThanNeighboursFailAtOnceButTheMessageStillGoesOut() throws Exception {
    TestNode[] pair = pair("", null);
    TestNode a = pair[0];
    TestNode origin = pair[1];

    BroadcastNotConfirmedException e =
        notConfirmed(
            origin.gossip.broadcast(
                new byte[] {2}, Confirmation.byNeighbors(2, Duration.ofMinutes(10))));

    assertEquals(Reason.NOT_ENOUGH_NEIGHBORS, e.reason());
    assertEquals(0, e.acks());
    assertEquals(2, e.wanted());
    assertTrue(e.getMessage().contains("0 of 2 acks"), e.getMessage());
    MessageId id = e.messageId().orElseThrow();
    TestNode.await(LONG, "the neighbour's delivery", () -> a.delivered(id) == 1);
  }

  @Test
  void aNeighbourThatNeverAcksFailsTheConfirmationAfterItsTimeout() throws Exception {
    Mute mute = new Mute();
    TestNode[] pair = pair("", mute);
    TestNode a = pair[0];
    TestNode origin = pair[1];
    mute.muted = true;

    long start = System.nanoTime();
    BroadcastNotConfirmedException e =
        notConfirmed(
            origin.gossip.broadcast(
                new byte[] {3}, Confirmation.byNeighbors(1, Duration.ofMillis(300))));

    assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
    assertEquals(Reason.TIMEOUT, e.reason());
    assertEquals(0, e.acks());
    assertEquals(1, e.wanted());
    // It went out: the muted neighbour received it, only its ack was lost.
    TestNode.await(LONG, "the neighbour's delivery", () -> a.delivered(e.messageId().get()) == 1);
  }

  @Test
  void leavingFailsThePendingConfirmations() throws Exception {
    Mute mute = new Mute();
    TestNode origin = pair("", mute)[1];
    mute.muted = true;
    CompletionStage<MessageId> pending =
        origin.gossip.broadcast(
            new byte[] {4}, Confirmation.byNeighbors(1, Duration.ofMinutes(10)));

    origin.gossip.leave().toCompletableFuture().get(LONG.toSeconds(), TimeUnit.SECONDS);

    BroadcastNotConfirmedException e = notConfirmed(pending);
    assertEquals(Reason.LEFT, e.reason());
    assertTrue(e.messageId().isPresent());
  }

  @Test
  void beyondTheLimitOfPendingConfirmationsABroadcastIsRefusedUnsent() throws Exception {
    Mute mute = new Mute();
    TestNode[] pair = pair("gossip.dissemination.max-pending-confirmations = 1", mute);
    TestNode a = pair[0];
    TestNode origin = pair[1];
    mute.muted = true;
    Confirmation confirmation = Confirmation.byNeighbors(1, Duration.ofMinutes(10));
    CompletableFuture<MessageId> first =
        origin.gossip.broadcast(new byte[] {5}, confirmation).toCompletableFuture();

    BroadcastNotConfirmedException e =
        notConfirmed(origin.gossip.broadcast(new byte[] {6}, confirmation));

    assertEquals(Reason.TOO_MANY_PENDING, e.reason());
    assertEquals(Optional.empty(), e.messageId());
    assertFalse(first.isDone());
    // Only the first went out: the second was never given an id.
    TestNode.await(
        LONG,
        "the first broadcast's deliveries",
        () -> a.deliveries.size() == 1 && origin.deliveries.size() == 1);
  }

  @Test
  void argumentsAreCheckedOnTheCallersThread() throws Exception {
    TestNode origin = pair("", null)[1];
    Duration second = Duration.ofSeconds(1);

    assertThrows(IllegalArgumentException.class, () -> Confirmation.byNeighbors(0, second));
    assertThrows(IllegalArgumentException.class, () -> Confirmation.byNeighbors(-1, second));
    assertThrows(IllegalArgumentException.class, () -> Confirmation.byNeighbors(1, Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class, () -> Confirmation.byNeighbors(1, Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> Confirmation.byNeighbors(1, null));
    // Beyond the scheduler's reach a timer could not be set and the stage would never complete.
    assertThrows(
        IllegalArgumentException.class,
        () -> Confirmation.byNeighbors(1, Confirmation.MAX_TIMEOUT.plusNanos(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Confirmation.byNeighbors(1, Duration.ofSeconds(Long.MAX_VALUE)));
    assertThrows(NullPointerException.class, () -> origin.gossip.broadcast(new byte[1], null));
    assertThrows(
        NullPointerException.class,
        () -> origin.gossip.broadcast(null, Confirmation.byNeighbors(1, second)));
  }
}
