package dev.gossip.core.heartbeat;

import dev.gossip.core.Input;
import dev.gossip.core.NodeId;
import java.util.Objects;

/**
 * Input: the link to {@code peer} last carried a frame at {@code at} (the driver's clock). Data
 * frames are not routed to the heartbeat one by one; the driver reports each link's last read
 * instead (the runtime once per tick), so a busy link whose Pongs queue behind data stays alive.
 */
public record HeardFrom(NodeId peer, long at) implements Input {
  public HeardFrom {
    Objects.requireNonNull(peer, "peer");
  }
}
