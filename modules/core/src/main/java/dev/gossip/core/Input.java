package dev.gossip.core;

/**
 * Something a role reacts to: a peer message ({@link Received}), a timer expiry ({@link
 * TimerExpired}), a command, or another role's event. A role ignores inputs that are not its own.
 */
public interface Input {}
