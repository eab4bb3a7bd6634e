package dev.gossip.pekko;

/** The node has not joined an overlay (or has left it): call {@code join} first. */
public class NotJoinedException extends GossipException {
  private static final long serialVersionUID = 1L;

  public NotJoinedException(String state) {
    super("the node " + state + "; call join() before broadcast()", null);
  }

  /** For a subclass that says the whole of what to do. */
  protected NotJoinedException(String message, Throwable cause) {
    super(message, cause);
  }
}
