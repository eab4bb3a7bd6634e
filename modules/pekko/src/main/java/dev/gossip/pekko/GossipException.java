package dev.gossip.pekko;

/** An error a user of the gossip node can hit; each subclass says what to do about it. */
public abstract class GossipException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected GossipException(String message, Throwable cause) {
    super(message, cause);
  }
}
