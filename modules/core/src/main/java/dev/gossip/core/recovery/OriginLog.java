package dev.gossip.core.recovery;

import dev.gossip.core.NodeId;
import dev.gossip.core.message.OriginSummary;
import dev.gossip.core.message.SequenceRange;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this node delivered of one origin: the highest sequence and the ranges missing below it,
 * bounded in count (the lowest ranges merge) and in age.
 */
final class OriginLog {

  private static final class Gap {
    final long to;
    final long since;

    Gap(long to, long since) {
      this.to = to;
      this.since = since;
    }
  }

  private final int maxGaps;
  private final TreeMap<Long, Gap> gaps = new TreeMap<>();
  private long highest;
  private long updatedAt;

  OriginLog(long firstSequence, int maxGaps, long now) {
    this.maxGaps = maxGaps;
    // Nothing delivered yet: the sequences below the first one are a gap, not delivered.
    record(firstSequence, now);
  }

  void record(long sequence, long now) {
    updatedAt = now;
    if (sequence > highest) {
      if (sequence > highest + 1) {
        gaps.put(highest + 1, new Gap(sequence - 1, now));
        mergeLowestGapsOverLimit();
      }
      highest = sequence;
      return;
    }
    Map.Entry<Long, Gap> containing = gaps.floorEntry(sequence);
    if (containing == null || containing.getValue().to < sequence) {
      return;
    }
    long from = containing.getKey();
    Gap gap = containing.getValue();
    gaps.remove(from);
    if (from < sequence) {
      gaps.put(from, new Gap(sequence - 1, gap.since));
    }
    if (sequence < gap.to) {
      gaps.put(sequence + 1, new Gap(gap.to, gap.since));
    }
    // Splitting a gap adds one.
    mergeLowestGapsOverLimit();
  }

  /**
   * Over the limit, the two lowest gaps become one that also covers the sequences between them: a
   * digest may then ask for messages this node has (seen ids drop them), but it never claims one it
   * lacks.
   */
  private void mergeLowestGapsOverLimit() {
    while (gaps.size() > maxGaps) {
      Map.Entry<Long, Gap> lowest = gaps.pollFirstEntry();
      Map.Entry<Long, Gap> next = gaps.pollFirstEntry();
      if (next == null) {
        gaps.put(lowest.getKey(), lowest.getValue());
        return;
      }
      long since = Math.max(lowest.getValue().since, next.getValue().since);
      gaps.put(lowest.getKey(), new Gap(next.getValue().to, since));
    }
  }

  /** Forgets gaps older than the retention: nobody holds those messages any more. */
  void expire(long now, long retentionNanos) {
    Iterator<Gap> it = gaps.values().iterator();
    while (it.hasNext()) {
      if (now - it.next().since >= retentionNanos) {
        it.remove();
      }
    }
  }

  long updatedAt() {
    return updatedAt;
  }

  int gapCount() {
    return gaps.size();
  }

  OriginSummary summary(NodeId origin) {
    List<SequenceRange> ranges = new ArrayList<>(gaps.size());
    gaps.forEach((from, gap) -> ranges.add(new SequenceRange(from, gap.to)));
    return new OriginSummary(origin, highest, ranges);
  }
}
