package dev.gossip.core.message;

/** Anti-entropy messages: the digest exchange of the recovery role. */
public sealed interface RecoveryMessage extends Message permits Digest {}
