package dev.gossip.core;

import java.util.Objects;

/**
 * A link to a peer failed: reported by the heartbeat role or by the driver (connection refused or
 * lost, peer too slow). Membership drops the peer and replaces it from the passive view.
 */
public record LinkFailed(NodeId peer, DownReason reason) implements Input, Output {
  public LinkFailed {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(reason, "reason");
  }
}
