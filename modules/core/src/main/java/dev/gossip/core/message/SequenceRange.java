package dev.gossip.core.message;

/** An inclusive range of per-origin sequence numbers. */
public record SequenceRange(long from, long to) {
  public SequenceRange {
    if (from < 1 || to < from) {
      throw new IllegalArgumentException("bad sequence range " + from + ".." + to);
    }
  }

  public boolean contains(long sequence) {
    return sequence >= from && sequence <= to;
  }
}
