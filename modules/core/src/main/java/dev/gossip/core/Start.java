package dev.gossip.core;

/** Sent once to every role when the node starts, so periodic timers get their first schedule. */
public enum Start implements Input {
  INSTANCE
}
