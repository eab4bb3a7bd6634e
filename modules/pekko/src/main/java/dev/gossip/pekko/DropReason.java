package dev.gossip.pekko;

/** Why an inbound frame was refused; the link it came on is closed and the drop counted. */
public enum DropReason {
  /** The frame's body does not decode to the message its type announces. */
  MALFORMED,
  /** The length prefix exceeds {@code gossip.transport.max-frame-size}. */
  OVERSIZE,
  /** The type code names no known message. */
  UNKNOWN_TYPE,
  /** The version byte is not the one this node speaks. */
  WRONG_VERSION,
  /** The peer did not open with a valid Hello, or sent a second one. */
  HANDSHAKE
}
