package dev.gossip.pekko;

import dev.gossip.core.DownReason;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import java.util.Objects;

/**
 * What a subscriber receives: deliveries and changes of the views. Published to actor subscribers,
 * on the ActorSystem's event stream, and to {@code Source} subscriptions, which also get {@link
 * Missed} when they fell behind.
 */
public sealed interface GossipEvent {

  /**
   * A broadcast delivered at this node, exactly once per node. {@code hops} is 0 at the origin. The
   * payload array is shared: do not modify it.
   */
  record Delivery(MessageId id, NodeId origin, byte[] payload, int hops) implements GossipEvent {
    public Delivery {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(payload, "payload");
    }

    @Override
    public String toString() {
      return "Delivery[" + id + ", " + payload.length + " bytes, hops " + hops + "]";
    }
  }

  /** A peer entered this node's active view. */
  record NeighborUp(NodeId peer) implements GossipEvent {}

  /** A peer left this node's active view, and why. */
  record NeighborDown(NodeId peer, DownReason reason) implements GossipEvent {}

  /**
   * The active or the passive view changed (a neighbour came or went, a shuffle brought new
   * backups): the views as they are now.
   */
  record MembershipChanged(Membership membership) implements GossipEvent {}

  /**
   * One of the node's actors failed on a message (a bug): it was logged at ERROR and counted
   * ({@link MetricsSnapshot#failures()}), and the actor goes on with the next message. {@code
   * component} names it: membership, dissemination, recovery, heartbeat or links.
   */
  record NodeFailure(String component, Throwable cause) implements GossipEvent {}

  /**
   * Only in a {@code Source}: the subscriber fell behind its buffer and this many events were
   * dropped since the last event it got, {@code deliveries} of them deliveries (the rest membership
   * events). It comes before the next event the subscriber gets.
   */
  record Missed(long count, long deliveries) implements GossipEvent {}
}
