package dev.gossip.core;

import java.util.Objects;

/** A peer left the active view; the other roles forget everything pending on that link. */
public record NeighborDown(NodeId peer, DownReason reason) implements Input, Output {
  public NeighborDown {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(reason, "reason");
  }
}
