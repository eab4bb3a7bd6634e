package dev.gossip.core.heartbeat;

import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import java.time.Duration;
import java.util.Objects;

/** Event: a new smoothed round-trip time estimate for the link to {@code peer}. */
public record RttMeasured(NodeId peer, Duration smoothedRtt) implements Output {
  public RttMeasured {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(smoothedRtt, "smoothedRtt");
  }
}
