package dev.gossip.pekko;

/**
 * The node has stopped: its ActorSystem terminated, or its actor was stopped, without a {@code
 * leave()} first. It broadcasts and leaves no more. Start a new node to take part again. It is a
 * {@link NotJoinedException}, so a broadcast's failure is caught as one.
 */
public final class NodeStoppedException extends NotJoinedException {
  private static final long serialVersionUID = 1L;

  public NodeStoppedException() {
    super(
        "the node has stopped (its ActorSystem terminated or its actor was stopped); start a new"
            + " node (Gossip.start, or a new GossipNode) to take part again",
        null);
  }
}
