package dev.gossip.core.dissemination;

import dev.gossip.core.Input;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import java.util.Objects;

/**
 * Event: {@code peer} announced a message not delivered here yet; recovery starts its timer, or
 * grafts at once when {@code cutOff}: every neighbour is lazy in the origin's tree here, so no
 * eager copy is on its way and waiting for one only delays the message.
 */
public record Announced(MessageId id, NodeId peer, int round, boolean cutOff)
    implements Input, Output {
  public Announced {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(peer, "peer");
  }

  /** An announcement of an origin whose tree has an eager peer here, or no tree here yet. */
  public Announced(MessageId id, NodeId peer, int round) {
    this(id, peer, round, false);
  }
}
