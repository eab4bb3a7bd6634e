package dev.gossip.core;

import java.util.Objects;

/**
 * Close the link to a peer that has left the active view, after any message sent to it before this
 * output has been flushed.
 */
public record Close(NodeId peer) implements Output {
  public Close {
    Objects.requireNonNull(peer, "peer");
  }
}
