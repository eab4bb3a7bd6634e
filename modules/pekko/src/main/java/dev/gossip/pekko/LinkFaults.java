package dev.gossip.pekko;

import dev.gossip.core.NodeId;

/**
 * A fault-injection stage where frames enter and leave a node's links, for tests (in the spirit of
 * JGroups' DISCARD and DELAY layers and Pekko's multi-node {@code blackhole}). Install one in an
 * ActorSystem with {@link LinkFaultsExtension} before the node starts; a node without one pays a
 * single null check per frame.
 *
 * <p>Peers are named by address ({@link NodeId#sameAddress}): a contact id (incarnation 0) and the
 * node it reaches are one peer. The methods are called on the node's link actor for every frame
 * (Hello excepted) and every new connection: they must be thread-safe, fast, and never block.
 */
public interface LinkFaults {

  /** {@link #outbound} verdict: send the frame now. */
  long PASS = 0;

  /** {@link #outbound} verdict: discard the frame, as a lossy network would. */
  long DROP = -1;

  /**
   * What to do with a frame {@code self} is about to send to {@code peer}: {@link #PASS}, {@link
   * #DROP}, or a delay in nanoseconds (frames to one peer keep their order, as on TCP).
   */
  long outbound(NodeId self, NodeId peer);

  /**
   * Whether a frame that arrived at {@code self} from {@code peer} is handled; false discards it,
   * so a link that was open when a partition began goes silent at once. By default every frame is.
   */
  default boolean inbound(NodeId self, NodeId peer) {
    return true;
  }

  /**
   * Whether a new connection between {@code self} and {@code peer} may open (TCP needs both
   * directions). False fails a dial at once and closes an accepted connection after its Hello. By
   * default every connection may.
   */
  default boolean canConnect(NodeId self, NodeId peer) {
    return true;
  }
}
