package dev.gossip.core.message;

import dev.gossip.core.NodeId;
import java.util.List;
import java.util.Objects;

/** A sample of {@code origin}'s views on a random walk; the accepting node replies to origin. */
public record Shuffle(NodeId origin, int ttl, List<NodeId> nodes) implements MembershipMessage {
  public Shuffle {
    Objects.requireNonNull(origin, "origin");
    nodes = List.copyOf(nodes);
  }
}
