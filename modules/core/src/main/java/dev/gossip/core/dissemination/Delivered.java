package dev.gossip.core.dissemination;

import dev.gossip.core.Input;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import java.util.Objects;

/**
 * Event: a message was delivered here for the first time, from neighbour {@code from} after {@code
 * hops} hops (the origin's own delivery has hops 0 and {@code from} itself). Recovery stores it.
 */
public record Delivered(MessageId id, NodeId from, int hops, byte[] payload)
    implements Input, Output {
  public Delivered {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(payload, "payload");
  }
}
