package dev.gossip.core.message;

/** HyParView messages (Leitão et al., DSN 2007, section 4). */
public sealed interface MembershipMessage extends Message
    permits Join, ForwardJoin, Neighbor, NeighborReply, Disconnect, Shuffle, ShuffleReply {}
