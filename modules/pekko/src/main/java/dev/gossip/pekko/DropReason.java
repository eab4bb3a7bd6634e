package dev.gossip.pekko;

/**
 * Why the node closed a peer's link: an inbound frame it refused, or a per-peer limit of {@code
 * gossip.transport} the peer went past. Each is counted in {@link
 * MetricsSnapshot#framesDropped(DropReason)}.
 */
public enum DropReason {
  /** The frame's body does not decode to the message its type announces. */
  MALFORMED,
  /** The length prefix exceeds {@code gossip.transport.max-frame-size}. */
  OVERSIZE,
  /** The type code names no known message. */
  UNKNOWN_TYPE,
  /** The version byte is not the one this node speaks. */
  WRONG_VERSION,
  /**
   * The peer did not open with a valid Hello within {@code gossip.transport.handshake-timeout}, or
   * sent a second one.
   */
  HANDSHAKE,
  /**
   * A frame carries more entries than its {@code gossip.transport.max-*-per-frame} (or {@code
   * max-digest-gaps-per-origin}) allows.
   */
  TOO_MANY_ENTRIES,
  /** The link sent frames faster than {@code gossip.transport.max-inbound-frame-rate}. */
  RATE_LIMITED,
  /**
   * A connection from an address that already had {@code
   * gossip.transport.max-connections-per-address} accepted connections open; closed unread.
   */
  TOO_MANY_CONNECTIONS,
  /**
   * An accepted connection whose peer was not in the active view after {@code
   * gossip.transport.unauthenticated-lifetime}.
   */
  LIFETIME_EXCEEDED
}
