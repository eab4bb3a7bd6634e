package dev.gossip.core.membership;

import dev.gossip.core.Input;
import dev.gossip.core.NodeId;
import java.util.List;

/**
 * Command: join through these contacts (tried in order, then nodes seen before). An empty list
 * starts a new overlay that others join.
 */
public record JoinOverlay(List<NodeId> contacts) implements Input {
  public JoinOverlay {
    contacts = List.copyOf(contacts);
  }
}
