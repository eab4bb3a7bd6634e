package dev.gossip.core.heartbeat;

import dev.gossip.core.Input;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import java.time.Duration;
import java.util.Objects;

/**
 * Event: a Pong from {@code peer} measured the round trip {@code sample}; {@code smoothedRtt} is
 * the link's estimate after it. Recovery bounds its graft timers by the latest sample and lifts the
 * first one's least wait by the least sample; dissemination holds the link's IHave batches for the
 * lower of the two.
 */
public record RttMeasured(NodeId peer, Duration sample, Duration smoothedRtt)
    implements Input, Output {
  public RttMeasured {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(sample, "sample");
    Objects.requireNonNull(smoothedRtt, "smoothedRtt");
  }
}
