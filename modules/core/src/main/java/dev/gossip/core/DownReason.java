package dev.gossip.core;

/** Why a peer left the active view. */
public enum DownReason {
  /** The link broke or could not be opened. */
  CONNECTION_LOST,
  /** The peer stayed silent past the heartbeat timeout. */
  HEARTBEAT_TIMEOUT,
  /** The peer dropped this node, or this node dropped it to make room. */
  EVICTED,
  /** The peer's outbound queue overflowed: it could not keep up. */
  SLOW,
  /** The peer left the overlay, or this node did. */
  LEFT
}
