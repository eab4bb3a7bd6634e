package dev.gossip.pekko;

import dev.gossip.core.MessageId;
import java.util.Optional;

/**
 * A confirmed broadcast ({@link Gossip#broadcast(byte[], Confirmation)}) did not get the acks it
 * asked for. Except with {@link Reason#TOO_MANY_PENDING}, the message was broadcast all the same
 * (delivered here and sent on to the neighbours this node has) and may reach some or all nodes;
 * broadcasting it again sends a new message with a new id, so receivers that must not see it twice
 * should recognise it by a key in the payload.
 */
public final class BroadcastNotConfirmedException extends GossipException {
  private static final long serialVersionUID = 1L;

  /** Why the acks did not come. */
  public enum Reason {
    /** The timeout of the {@link Confirmation} passed first: neighbours are slow, or lost it. */
    TIMEOUT,
    /** This node had fewer neighbours than the acks asked for: wait for more, or ask fewer. */
    NOT_ENOUGH_NEIGHBORS,
    /** This node left the overlay before the acks came. */
    LEFT,
    /**
     * {@code gossip.dissemination.max-pending-confirmations} confirmations were pending: the
     * message was not broadcast. Slow down, or raise the limit.
     */
    TOO_MANY_PENDING
  }

  private final MessageId messageId;
  private final int acks;
  private final int wanted;
  private final Reason reason;

  public BroadcastNotConfirmedException(MessageId messageId, int acks, int wanted, Reason reason) {
    super(message(messageId, acks, wanted, reason), null);
    this.messageId = messageId;
    this.acks = acks;
    this.wanted = wanted;
    this.reason = reason;
  }

  private static String message(MessageId id, int acks, int wanted, Reason reason) {
    String what =
        id == null ? "broadcast not sent" : "broadcast " + id + " not confirmed by neighbours";
    return what
        + ": "
        + acks
        + " of "
        + wanted
        + " acks, "
        + switch (reason) {
          case TIMEOUT -> "timed out; the message went out, but not provably to that many";
          case NOT_ENOUGH_NEIGHBORS ->
              "this node has fewer neighbours than that; the message" + " went to those it has";
          case LEFT -> "this node left the overlay";
          case TOO_MANY_PENDING ->
              "too many confirmations pending; slow down or raise"
                  + " gossip.dissemination.max-pending-confirmations";
        };
  }

  /** The broadcast's id; empty if it was not broadcast ({@link Reason#TOO_MANY_PENDING}). */
  public Optional<MessageId> messageId() {
    return Optional.ofNullable(messageId);
  }

  /** How many neighbours acknowledged the message. */
  public int acks() {
    return acks;
  }

  /** How many acks the {@link Confirmation} asked for. */
  public int wanted() {
    return wanted;
  }

  public Reason reason() {
    return reason;
  }
}
