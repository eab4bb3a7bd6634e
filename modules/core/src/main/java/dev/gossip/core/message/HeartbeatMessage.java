package dev.gossip.core.message;

/** Link liveness probes of the heartbeat role. */
public sealed interface HeartbeatMessage extends Message permits Ping, Pong {}
