package dev.gossip.testkit;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import java.util.Set;

/**
 * What the awaits read of a node, in one JVM ({@link TestNode}) or its own ({@link ProcessNode}).
 */
interface Member {

  String name();

  NodeId id();

  /** The active view as the node reported it through its events. */
  Set<NodeId> activeView();

  boolean hasDelivered(MessageId id);
}
