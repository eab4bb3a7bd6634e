package dev.gossip.pekko.internal.wire;

import dev.gossip.pekko.DropReason;

/** An inbound frame was refused; the link is closed and the drop counted by {@link #reason()}. */
public final class FrameException extends Exception {
  private static final long serialVersionUID = 1L;

  private final DropReason reason;

  public FrameException(DropReason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public FrameException(DropReason reason, String detail, Throwable cause) {
    super(reason + ": " + detail, cause);
    this.reason = reason;
  }

  public DropReason reason() {
    return reason;
  }
}
