package dev.gossip.core.message;

/**
 * Plumtree messages (Leitão et al., SRDS 2007, section 3), plus anti-entropy resends and the acks
 * of confirmed broadcasts.
 */
public sealed interface PlumtreeMessage extends Message
    permits Gossip, IHave, Graft, Prune, Recovered, Ack {}
