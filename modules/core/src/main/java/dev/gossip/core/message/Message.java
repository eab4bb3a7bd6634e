package dev.gossip.core.message;

/**
 * A wire message, grouped by the role that handles it. Records only: the runtime's codec encodes
 * them and user payload bytes travel through every hop unchanged.
 */
public sealed interface Message
    permits MembershipMessage, PlumtreeMessage, RecoveryMessage, HeartbeatMessage {}
