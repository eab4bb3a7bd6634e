package dev.gossip.pekko.internal.link;

import dev.gossip.pekko.internal.NodeMetrics;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The bound on peer messages received but not yet handled, over all links of a node: each link's
 * {@link InboundRouter} takes room before it hands frames to a role actor, the role gives it back
 * once it has handled them. A link that finds no room stops reading its socket (TCP backpressure)
 * and waits here until the roles have worked the queue down to half, so a flooding peer fills only
 * its own TCP window.
 */
public final class InboundGate {

  private final NodeMetrics metrics;
  private final int limit;
  private final int resumeAt;
  private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();

  public InboundGate(NodeMetrics metrics, int limit) {
    this.metrics = metrics;
    this.limit = limit;
    this.resumeAt = limit / 2;
  }

  /**
   * Takes room for up to {@code wanted} messages, atomically over all links; returns how many may
   * be handed to the roles (0: none now). Room taken and not used is given back with {@link
   * #handled}.
   */
  public int reserve(int wanted) {
    return metrics.inboundReserve(wanted, limit);
  }

  /** Counts {@code n} messages handled; wakes the waiting links when the queue is down to half. */
  public void handled(int n) {
    if (metrics.inboundHandled(n) <= resumeAt && !waiting.isEmpty()) {
      Runnable resume;
      while ((resume = waiting.poll()) != null) {
        resume.run();
      }
    }
  }

  /**
   * Runs {@code resume} once there is room again: at once if the queue went down meanwhile (so a
   * wake-up that raced with this call is not lost), else when the roles have drained it to half.
   */
  public void awaitRoom(Runnable resume) {
    waiting.add(resume);
    if (metrics.inboundQueued() <= resumeAt && waiting.remove(resume)) {
      resume.run();
    }
  }
}
