package dev.gossip.core.dissemination;

import dev.gossip.core.Input;
import dev.gossip.core.MessageId;
import dev.gossip.core.Output;
import java.util.Objects;

/**
 * Event: anti-entropy resent a message delivered here before. Recovery records it, so the next
 * digest states it again (its origin's log may have been evicted or expired) and the resends stop.
 */
public record AlreadyDelivered(MessageId id) implements Input, Output {
  public AlreadyDelivered {
    Objects.requireNonNull(id, "id");
  }
}
