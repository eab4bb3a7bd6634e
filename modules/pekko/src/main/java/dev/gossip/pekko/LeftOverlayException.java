package dev.gossip.pekko;

/**
 * The node has left the overlay, which is final: a node that left does not join again (its
 * neighbours were told it is gone for good). Start a new node to take part again.
 */
public final class LeftOverlayException extends GossipException {
  private static final long serialVersionUID = 1L;

  public LeftOverlayException() {
    super(
        "the node has left the overlay, which is final; start a new node (Gossip.start, or a new"
            + " GossipNode) to take part again",
        null);
  }
}
