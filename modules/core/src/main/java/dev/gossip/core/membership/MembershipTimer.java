package dev.gossip.core.membership;

import dev.gossip.core.NodeId;
import dev.gossip.core.Timer;

/** The membership role's timers. */
public sealed interface MembershipTimer extends Timer {

  /** Periodic shuffle and active-view refill. */
  enum ShuffleTick implements MembershipTimer {
    INSTANCE
  }

  /** The current join attempt timed out, or the backoff before the next join round is over. */
  enum JoinTick implements MembershipTimer {
    INSTANCE
  }

  /**
   * The active view is still below capacity after every passive member refused: ask them all again.
   */
  enum RefillTick implements MembershipTimer {
    INSTANCE
  }

  /** A Neighbor request to {@code peer} got no answer in time. */
  record NeighborTimeout(NodeId peer) implements MembershipTimer {}
}
