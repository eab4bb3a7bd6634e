package dev.gossip.pekko.internal;

import dev.gossip.core.MessageId;
import dev.gossip.pekko.Confirmation;
import dev.gossip.pekko.LeftOverlayException;
import dev.gossip.pekko.NodeStoppedException;
import dev.gossip.pekko.NotJoinedException;
import dev.gossip.pekko.PayloadTooLargeException;
import dev.gossip.pekko.internal.role.DisseminationActor;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A node's broadcasts, checked on the caller's thread and handed straight to its dissemination
 * actor, which completes the future itself: no temporary actor, no hop through the node actor.
 * Whether the node has joined or left is kept here, so the check needs no actor either.
 */
public final class Broadcaster {

  private final ActorRef<DisseminationActor.Command> dissemination;
  private final int maxPayloadSize;
  private volatile boolean joined;
  private volatile boolean left;
  private volatile boolean stopped;

  public Broadcaster(ActorRef<DisseminationActor.Command> dissemination, int maxPayloadSize) {
    this.dissemination = dissemination;
    this.maxPayloadSize = maxPayloadSize;
  }

  /** The node is taking part from now on (a Join was sent). */
  public void joined() {
    joined = true;
  }

  /** The node left the overlay: broadcasts fail from now on, and so do pending confirmations. */
  public void left() {
    if (!left) {
      left = true;
      dissemination.tell(DisseminationActor.Left.INSTANCE);
    }
  }

  public boolean hasLeft() {
    return left;
  }

  /** The node's actor stopped: nothing would complete a broadcast's future from now on. */
  public void stopped() {
    stopped = true;
  }

  public boolean hasStopped() {
    return stopped;
  }

  /** Why the node takes part no more (stopped, or left), or null while it may. */
  public RuntimeException ended() {
    if (stopped) {
      return new NodeStoppedException();
    } else if (left) {
      return new LeftOverlayException();
    }
    return null;
  }

  /**
   * Broadcasts {@code payload}; the future completes with its id once the dissemination role has
   * taken it, or fails with a {@link NotJoinedException} or {@link PayloadTooLargeException}.
   *
   * @throws NullPointerException if {@code payload} is null
   */
  public CompletableFuture<MessageId> broadcast(byte[] payload) {
    return submit(payload, 0, null);
  }

  /**
   * Broadcasts {@code payload}; the future completes with its id once {@code confirmation} is met,
   * or fails as {@link #broadcast(byte[])} does, or with a {@link
   * dev.gossip.pekko.BroadcastNotConfirmedException}.
   *
   * @throws NullPointerException if {@code payload} or {@code confirmation} is null
   */
  public CompletableFuture<MessageId> broadcast(byte[] payload, Confirmation confirmation) {
    Objects.requireNonNull(confirmation, "confirmation");
    return submit(payload, confirmation.neighbors(), confirmation.timeout());
  }

  private CompletableFuture<MessageId> submit(byte[] payload, int acks, Duration timeout) {
    RuntimeException refused = refusal(payload);
    if (refused != null) {
      return CompletableFuture.failedFuture(refused);
    }
    CompletableFuture<MessageId> done = new CompletableFuture<>();
    dissemination.tell(new DisseminationActor.Broadcast(payload, acks, timeout, done));
    return done;
  }

  /**
   * Broadcasts {@code payload} without telling when it was taken.
   *
   * @throws NullPointerException if {@code payload} is null
   * @throws NotJoinedException if the node has not joined or has left
   * @throws PayloadTooLargeException if the payload exceeds the frame size
   */
  public void publish(byte[] payload) {
    RuntimeException refused = refusal(payload);
    if (refused != null) {
      throw refused;
    }
    dissemination.tell(new DisseminationActor.Broadcast(payload, null));
  }

  private RuntimeException refusal(byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    RuntimeException ended = ended();
    if (ended != null) {
      return ended;
    } else if (!joined) {
      return new NotJoinedException("has not joined");
    } else if (payload.length > maxPayloadSize) {
      return new PayloadTooLargeException(payload.length, maxPayloadSize);
    }
    return null;
  }
}
