package dev.gossip.core.message;

/**
 * The sender dropped the receiver from its active view. The receiver moves the sender to its
 * passive view, unless the sender is {@code leaving} the overlay.
 */
public record Disconnect(boolean leaving) implements MembershipMessage {}
