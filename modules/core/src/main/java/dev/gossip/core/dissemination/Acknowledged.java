package dev.gossip.core.dissemination;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import java.util.Objects;

/**
 * Event for the driver: neighbour {@code peer} acknowledged receiving this node's confirmed
 * broadcast {@code id} straight from it. A peer may acknowledge a message more than once (an eager
 * push and a Graft's answer): the driver counts peers, not events.
 */
public record Acknowledged(MessageId id, NodeId peer) implements Output {
  public Acknowledged {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(peer, "peer");
  }
}
