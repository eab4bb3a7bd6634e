package dev.gossip.core.message;

import dev.gossip.core.NodeId;
import java.util.List;

/**
 * The accepting node's passive sample, made up with active members when its passive view holds
 * fewer nodes than the shuffle brought, sent back to the shuffle's origin.
 */
public record ShuffleReply(List<NodeId> nodes) implements MembershipMessage {
  public ShuffleReply {
    nodes = List.copyOf(nodes);
  }
}
