package dev.gossip.core;

import java.util.Objects;

/** Keep a long-lived link to a peer that has entered the active view. */
public record Connect(NodeId peer) implements Output {
  public Connect {
    Objects.requireNonNull(peer, "peer");
  }
}
