package dev.gossip.core.message;

/** A new node asks a contact to let it into the overlay; the sender is the joiner. */
public record Join() implements MembershipMessage {}
