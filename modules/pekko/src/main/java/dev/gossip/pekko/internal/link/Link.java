package dev.gossip.pekko.internal.link;

import dev.gossip.core.NodeId;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.util.ByteString;

/**
 * What the role actors and a connection's inbound stage share of one connection: its bounded
 * outbound queue, which any thread may offer encoded frames to, the peer its Hello named, and when
 * it was last read and written. The {@link LinkManager} owns everything else about it.
 */
final class Link {

  final long id;

  /** Set by the link manager when it runs the stream, before the link is published anywhere. */
  BoundedSourceQueue<ByteString> queue;

  /** The peer, once its Hello was taken; null before. */
  volatile NodeId peer;

  /** System.nanoTime of the last frames read: the heartbeat's sign of life. */
  volatile long lastRead;

  /** System.nanoTime of the last frame queued: the idle check's measure. */
  volatile long lastUsed;

  /** The peer sent Disconnect on it: its end is the peer's choice, not a failure. */
  volatile boolean peerDisconnected;

  /** The peer is in the active view (the link manager keeps this up to date). */
  volatile boolean inActiveView;

  /**
   * The peer sent something but membership messages while outside the active view: not the passive
   * traffic (Join, Shuffle, Neighbor) a connection outside the active view carries.
   */
  volatile boolean strayTraffic;

  Link(long id, long now) {
    this.id = id;
    this.lastRead = now;
    this.lastUsed = now;
  }

  /** Queues a frame; false if the queue is full (the peer cannot keep up). */
  boolean offer(ByteString frame) {
    QueueOfferResult result;
    try {
      result = queue.offer(frame);
    } catch (IllegalStateException ended) {
      // The stream ended meanwhile; the link manager is told by the stream itself.
      return true;
    }
    if (result == QueueOfferResult.enqueued()) {
      lastUsed = System.nanoTime();
      return true;
    }
    return result != QueueOfferResult.dropped();
  }
}
