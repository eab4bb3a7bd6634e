package dev.gossip.core.message;

/** The sender received a duplicate over this link: move it to the lazy set. */
public record Prune() implements PlumtreeMessage {}
