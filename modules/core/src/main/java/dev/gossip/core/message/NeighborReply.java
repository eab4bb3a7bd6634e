package dev.gossip.core.message;

/** The answer to {@link Neighbor}: whether the receiver added the sender to its active view. */
public record NeighborReply(boolean accepted) implements MembershipMessage {}
