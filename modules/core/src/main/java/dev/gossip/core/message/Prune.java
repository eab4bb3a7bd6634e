package dev.gossip.core.message;

import dev.gossip.core.NodeId;
import java.util.Objects;

/**
 * The sender received a duplicate of {@code origin}'s message over this link: announce that
 * origin's messages here instead of pushing them (the link leaves the origin's tree).
 */
public record Prune(NodeId origin) implements PlumtreeMessage {
  public Prune {
    Objects.requireNonNull(origin, "origin");
  }
}
