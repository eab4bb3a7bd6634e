package dev.gossip.core.message;

/** A liveness probe; {@code sentAt} is the sender's clock, echoed in the {@link Pong}. */
public record Ping(long sentAt) implements HeartbeatMessage {}
