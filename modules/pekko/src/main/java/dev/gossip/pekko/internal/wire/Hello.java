package dev.gossip.pekko.internal.wire;

import dev.gossip.core.NodeId;
import java.util.Objects;

/** The first frame each side of a link sends: who it is. */
public record Hello(NodeId node) implements WireRecord {
  public Hello {
    Objects.requireNonNull(node, "node");
    if (node.isContact()) {
      throw new IllegalArgumentException("a Hello carries a full node id, was " + node);
    }
  }
}
