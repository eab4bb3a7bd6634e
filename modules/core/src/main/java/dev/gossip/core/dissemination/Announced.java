package dev.gossip.core.dissemination;

import dev.gossip.core.Input;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import java.util.Objects;

/** Event: {@code peer} announced a message not delivered here yet; recovery starts its timer. */
public record Announced(MessageId id, NodeId peer, int round) implements Input, Output {
  public Announced {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(peer, "peer");
  }
}
