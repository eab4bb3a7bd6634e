package dev.gossip.core;

/**
 * Something a role asks of its driver ({@link Send}, {@link Schedule}, {@link Connect}, {@link
 * Close}) or an event for other roles and the user. Outputs are pushed into an {@link Outbox}.
 */
public interface Output {}
