package dev.gossip.testkit;

/** Which way a fault applies between a node {@code a} and a node {@code b} (as in Pekko's). */
public enum Direction {
  /** Frames from {@code a} to {@code b}. */
  SEND,
  /** Frames from {@code b} to {@code a}. */
  RECEIVE,
  /** Both ways. */
  BOTH
}
