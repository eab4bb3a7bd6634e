package dev.gossip.core.membership;

import dev.gossip.core.Input;

/** Command: tell every active neighbour this node is leaving, then go quiet. */
public enum Leave implements Input {
  INSTANCE
}
