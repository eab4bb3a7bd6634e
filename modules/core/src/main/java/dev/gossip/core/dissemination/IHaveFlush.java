package dev.gossip.core.dissemination;

import dev.gossip.core.NodeId;
import dev.gossip.core.Timer;
import java.util.Objects;

/** Timer: send the announcements batched for one lazy peer. */
public record IHaveFlush(NodeId peer) implements Timer {
  public IHaveFlush {
    Objects.requireNonNull(peer, "peer");
  }
}
