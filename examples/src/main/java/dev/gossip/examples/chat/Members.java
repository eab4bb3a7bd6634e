package dev.gossip.examples.chat;

import dev.gossip.core.NodeId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chat members {@code /peers} lists: those heard from recently. A member is heard from when one
 * of its messages is delivered or it comes up as a neighbour; it is forgotten when, as a neighbour,
 * it leaves ({@code NeighborDown} LEFT), or when nothing was heard from it for {@link
 * #FORGET_AFTER} and it is not in the active view (it may have crashed, or be a member that stays
 * quiet). Holds at most one entry per member heard from in that time.
 */
final class Members {

  /** Silence after which a member that is not a neighbour is no longer listed. */
  static final Duration FORGET_AFTER = Duration.ofMinutes(5);

  private final Clock clock;
  private final Map<NodeId, Instant> lastHeard = new LinkedHashMap<>();

  Members(Clock clock) {
    this.clock = clock;
  }

  synchronized void heard(NodeId member) {
    lastHeard.put(member, clock.instant());
  }

  synchronized void left(NodeId member) {
    lastHeard.remove(member);
  }

  /**
   * The members heard from within {@link #FORGET_AFTER} or in {@code activeView}, in the order they
   * were first heard from.
   */
  synchronized List<NodeId> current(Set<NodeId> activeView) {
    Instant cutoff = clock.instant().minus(FORGET_AFTER);
    lastHeard
        .entrySet()
        .removeIf(e -> e.getValue().isBefore(cutoff) && !activeView.contains(e.getKey()));
    return List.copyOf(lastHeard.keySet());
  }
}
