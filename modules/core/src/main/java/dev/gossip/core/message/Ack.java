package dev.gossip.core.message;

import dev.gossip.core.MessageId;
import java.util.Objects;

/**
 * Beyond the paper: a neighbour of a message's origin received its {@link Gossip} straight from the
 * origin, which asked for this answer ({@link Gossip#ackRequested()}) to confirm a broadcast.
 */
public record Ack(MessageId id) implements PlumtreeMessage {
  public Ack {
    Objects.requireNonNull(id, "id");
  }
}
