package dev.gossip.core.message;

import dev.gossip.core.NodeId;
import java.util.List;
import java.util.Objects;

/**
 * What a node has of one origin's messages: every sequence up to {@code highest} except the {@code
 * gaps}.
 */
public record OriginSummary(NodeId origin, long highest, List<SequenceRange> gaps) {
  public OriginSummary {
    Objects.requireNonNull(origin, "origin");
    gaps = List.copyOf(gaps);
  }

  /** Whether the summarised node has this sequence. */
  public boolean has(long sequence) {
    if (sequence > highest) {
      return false;
    }
    for (SequenceRange gap : gaps) {
      if (gap.contains(sequence)) {
        return false;
      }
    }
    return true;
  }
}
