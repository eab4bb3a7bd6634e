package dev.gossip.pekko;

import java.util.ArrayList;
import java.util.List;

/** The nodes a test started, each on a loopback address of its own; closing stops them all. */
final class LoopbackNodes implements AutoCloseable {

  private final List<TestNode> nodes = new ArrayList<>();

  /** Starts a node listening on {@code host} (any free port) with this extra configuration. */
  TestNode start(String host, String config) {
    TestNode node = TestNode.start("gossip.host = \"" + host + "\"\n" + config);
    nodes.add(node);
    return node;
  }

  List<TestNode> all() {
    return nodes;
  }

  @Override
  public void close() {
    nodes.forEach(TestNode::close);
  }
}
