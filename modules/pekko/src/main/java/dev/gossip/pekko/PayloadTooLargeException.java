package dev.gossip.pekko;

/** A broadcast payload exceeds what one frame can carry. */
public final class PayloadTooLargeException extends GossipException {
  private static final long serialVersionUID = 1L;

  private final int size;
  private final int limit;

  public PayloadTooLargeException(int size, int limit) {
    super(
        "payload of "
            + size
            + " bytes exceeds the limit of "
            + limit
            + " bytes; split it or raise gossip.transport.max-frame-size on every node",
        null);
    this.size = size;
    this.limit = limit;
  }

  public int size() {
    return size;
  }

  public int limit() {
    return limit;
  }
}
