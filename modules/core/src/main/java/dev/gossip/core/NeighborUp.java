package dev.gossip.core;

import java.util.Objects;

/** A peer entered the active view: dissemination, recovery and heartbeat start using the link. */
public record NeighborUp(NodeId peer) implements Input, Output {
  public NeighborUp {
    Objects.requireNonNull(peer, "peer");
  }
}
