package dev.gossip.pekko.internal;

import dev.gossip.pekko.DropReason;
import dev.gossip.pekko.MetricsSnapshot;
import dev.gossip.pekko.TlsRejection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.util.ByteString;

/**
 * A node's metrics, written by its actors and read by any thread: counters are adders, gauges are
 * volatile, and the RMR/LDH window is guarded by its own lock.
 */
public final class NodeMetrics {

  public final LongAdder delivered = new LongAdder();
  public final LongAdder ihaveSent = new LongAdder();
  public final LongAdder graftSent = new LongAdder();
  public final LongAdder pruneSent = new LongAdder();
  public final LongAdder queueDrops = new LongAdder();
  public final LongAdder subscriberLag = new LongAdder();

  /** Frame bytes written to and read from the TCP flows of all links. */
  public final LongAdder bytesSent = new LongAdder();

  public final LongAdder bytesReceived = new LongAdder();

  private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
  private final Map<TlsRejection, LongAdder> tlsRejected = new EnumMap<>(TlsRejection.class);
  public final LongAdder tlsReloads = new LongAdder();
  public final LongAdder tlsReloadFailures = new LongAdder();
  public final LongAdder failures = new LongAdder();

  public volatile long duplicates;
  public volatile int activeViewSize;
  public volatile int passiveViewSize;
  public volatile int eagerPeers;
  public volatile int lazyPeers;
  public volatile int openLinks;

  /** Peer messages handed to the role actors and not yet handled: the inbound queue. */
  private final AtomicInteger inboundQueued = new AtomicInteger();

  private final AtomicInteger inboundQueuedPeak = new AtomicInteger();

  /** Ring of the recent Gossip receipts: the hops of a first delivery, or -1 for a duplicate. */
  private final int[] window;

  private int next;
  private int filled;

  public NodeMetrics(int windowSize) {
    for (DropReason reason : DropReason.values()) {
      dropped.put(reason, new LongAdder());
    }
    for (TlsRejection reason : TlsRejection.values()) {
      tlsRejected.put(reason, new LongAdder());
    }
    window = new int[windowSize];
  }

  /** The inbound queue now. */
  public int inboundQueued() {
    return inboundQueued.get();
  }

  /**
   * Takes room in the inbound queue, bounded by {@code limit}, for up to {@code wanted} peer
   * messages, atomically over all links; returns how many it took (0: the queue is full).
   */
  public int inboundReserve(int wanted, int limit) {
    while (true) {
      int queued = inboundQueued.get();
      int take = Math.min(wanted, limit - queued);
      if (take <= 0) {
        return 0;
      }
      if (inboundQueued.compareAndSet(queued, queued + take)) {
        inboundQueuedPeak.accumulateAndGet(queued + take, Math::max);
        return take;
      }
    }
  }

  /** Counts {@code n} peer messages handled by a role actor; returns the inbound queue now. */
  public int inboundHandled(int n) {
    return inboundQueued.addAndGet(-n);
  }

  /** Counts bytes written to a link's TCP flow; returns them, to sit in the stream. */
  public ByteString sent(ByteString bytes) {
    bytesSent.add(bytes.size());
    return bytes;
  }

  /** Counts bytes read from a link's TCP flow; returns them, to sit in the stream. */
  public ByteString received(ByteString bytes) {
    bytesReceived.add(bytes.size());
    return bytes;
  }

  public void frameDropped(DropReason reason) {
    dropped.get(reason).increment();
  }

  public void tlsRejected(TlsRejection reason) {
    tlsRejected.get(reason).increment();
  }

  /** Records one Gossip receipt: its first delivery at {@code hops}, or a duplicate. */
  public synchronized void gossipReceived(boolean duplicate, int hops) {
    window[next] = duplicate ? -1 : hops;
    next = (next + 1) % window.length;
    filled = Math.min(filled + 1, window.length);
  }

  /** The node stopped: it has no views, peers, links or queue any more; the counters stay. */
  public void stopped() {
    activeViewSize = 0;
    passiveViewSize = 0;
    eagerPeers = 0;
    lazyPeers = 0;
    openLinks = 0;
    inboundQueued.set(0);
  }

  public MetricsSnapshot snapshot() {
    Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    dropped.forEach((reason, n) -> drops.put(reason, n.sum()));
    Map<TlsRejection, Long> rejections = new EnumMap<>(TlsRejection.class);
    tlsRejected.forEach((reason, n) -> rejections.put(reason, n.sum()));
    int receipts;
    int firsts = 0;
    int ldh = 0;
    synchronized (this) {
      receipts = filled;
      for (int i = 0; i < filled; i++) {
        if (window[i] >= 0) {
          firsts++;
          ldh = Math.max(ldh, window[i]);
        }
      }
    }
    double rmr = firsts == 0 ? Double.NaN : (double) receipts / firsts - 1;
    return new MetricsSnapshot(
        delivered.sum(),
        duplicates,
        ihaveSent.sum(),
        graftSent.sum(),
        pruneSent.sum(),
        drops,
        queueDrops.sum(),
        subscriberLag.sum(),
        bytesSent.sum(),
        bytesReceived.sum(),
        activeViewSize,
        passiveViewSize,
        eagerPeers,
        lazyPeers,
        openLinks,
        inboundQueued.get(),
        inboundQueuedPeak.get(),
        rmr,
        ldh,
        rejections,
        tlsReloads.sum(),
        tlsReloadFailures.sum(),
        failures.sum());
  }
}
