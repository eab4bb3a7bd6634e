package dev.gossip.core.message;

/**
 * A request to enter the receiver's active view. High priority (sender's active view is empty, or
 * the sender has already added the receiver) is always accepted; low only into a free slot.
 */
public record Neighbor(boolean highPriority) implements MembershipMessage {}
