package dev.gossip.examples.localcluster;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What the run measured: per node which broadcasts it delivered, per broadcast its send time and
 * the most hops any delivery of it took, and the latency of every delivery away from the origin.
 * Broadcasts are numbered 0..capacity-1; the number travels in the payload's first 8 bytes.
 */
final class Tally {

  private final int capacity;
  private final AtomicLongArray sentAtNanos;
  private final AtomicIntegerArray maxHops;
  private final AtomicIntegerArray origins;
  private final BitSet[] delivered;
  private final Histogram latencyMicros = new ConcurrentHistogram(3_600_000_000L, 3);

  Tally(int nodes, int capacity) {
    this.capacity = capacity;
    this.sentAtNanos = new AtomicLongArray(capacity);
    this.maxHops = new AtomicIntegerArray(capacity);
    this.origins = new AtomicIntegerArray(capacity);
    this.delivered = new BitSet[nodes];
    for (int i = 0; i < nodes; i++) {
      delivered[i] = new BitSet(capacity);
    }
  }

  /** The payload of broadcast {@code seq}: its number, then zeros up to {@code size} bytes. */
  static byte[] payload(int seq, int size) {
    return ByteBuffer.allocate(Math.max(size, Long.BYTES)).putLong(seq).array();
  }

  void sent(int seq, int origin, long nanos) {
    origins.set(seq, origin);
    sentAtNanos.set(seq, nanos);
  }

  int origin(int seq) {
    return origins.get(seq);
  }

  /** Whether node {@code node} delivered broadcast {@code seq}. */
  boolean hasDelivered(int node, int seq) {
    synchronized (delivered[node]) {
      return delivered[node].get(seq);
    }
  }

  /** Records a delivery at {@code node}; returns false for a payload that is not one of ours. */
  boolean delivered(int node, byte[] payload, int hops, long nanos) {
    if (payload.length < Long.BYTES) {
      return false;
    }
    long seq = ByteBuffer.wrap(payload).getLong();
    if (seq < 0 || seq >= capacity) {
      return false;
    }
    int s = (int) seq;
    synchronized (delivered[node]) {
      delivered[node].set(s);
    }
    maxHops.accumulateAndGet(s, hops, Math::max);
    long sentAt = sentAtNanos.get(s);
    if (hops > 0 && sentAt != 0) {
      latencyMicros.recordValue(Math.max(0, (nanos - sentAt) / 1_000));
    }
    return true;
  }

  int maxHops(int seq) {
    return maxHops.get(seq);
  }

  Histogram latencies() {
    return latencyMicros.copy();
  }
}
