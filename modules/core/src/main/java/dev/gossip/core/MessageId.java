package dev.gossip.core;

import java.util.Objects;

/**
 * A broadcast's identity: its origin and the origin's sequence number, never a content hash, so two
 * broadcasts of the same bytes are two messages and anti-entropy digests can summarise an origin by
 * its highest sequence and gaps.
 */
public record MessageId(NodeId origin, long sequence) {

  public MessageId {
    Objects.requireNonNull(origin, "origin");
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be >= 1, was " + sequence);
    }
  }

  @Override
  public String toString() {
    return origin + "/" + sequence;
  }
}
