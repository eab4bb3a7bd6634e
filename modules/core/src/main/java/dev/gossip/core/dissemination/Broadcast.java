package dev.gossip.core.dissemination;

import dev.gossip.core.Input;
import java.util.Objects;

/**
 * Command: broadcast these bytes to every node; the payload is shared, never copied. With {@code
 * acks} above 0 the broadcast is confirmed: its Gossip asks for an {@link
 * dev.gossip.core.message.Ack} and goes straight to at least {@code acks} neighbours if there are
 * that many.
 */
public record Broadcast(byte[] payload, int acks) implements Input {
  public Broadcast {
    Objects.requireNonNull(payload, "payload");
    if (acks < 0) {
      throw new IllegalArgumentException("acks must not be negative, was " + acks);
    }
  }

  /** An unconfirmed broadcast. */
  public Broadcast(byte[] payload) {
    this(payload, 0);
  }
}
