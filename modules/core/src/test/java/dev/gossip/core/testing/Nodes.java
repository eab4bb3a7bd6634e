package dev.gossip.core.testing;

import dev.gossip.core.NodeId;

/** Readable node ids for tests: {@code node(3)} is {@code node-3:7000#1}. */
public final class Nodes {
  private Nodes() {}

  public static NodeId node(int i) {
    return new NodeId("node-" + i, 7000, 1);
  }
}
