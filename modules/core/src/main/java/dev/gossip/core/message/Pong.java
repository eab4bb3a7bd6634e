package dev.gossip.core.message;

/** The answer to a {@link Ping}, echoing its {@code sentAt} so the prober measures the RTT. */
public record Pong(long sentAt) implements HeartbeatMessage {}
