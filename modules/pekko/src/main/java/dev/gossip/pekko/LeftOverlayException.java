package dev.gossip.pekko;

/**
 * The node has left the overlay, which is final: a node that left does not join again (its
 * neighbours were told it is gone for good), and broadcasts no more. Start a new node to take part
 * again. It is a {@link NotJoinedException}, so a broadcast's failure is caught as one.
 */
public final class LeftOverlayException extends NotJoinedException {
  private static final long serialVersionUID = 1L;

  public LeftOverlayException() {
    super(
        "the node has left the overlay, which is final; start a new node (Gossip.start, or a new"
            + " GossipNode) to take part again",
        null);
  }
}
