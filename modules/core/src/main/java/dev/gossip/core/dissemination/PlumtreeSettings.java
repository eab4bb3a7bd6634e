package dev.gossip.core.dissemination;

import dev.gossip.core.Check;
import java.time.Duration;

/**
 * Plumtree parameters (Leitão, Pereira, Rodrigues, "Epidemic Broadcast Trees", SRDS 2007).
 *
 * @param ihaveInterval the least time announcements wait to be batched into one IHave per lazy
 *     peer. Default 5 ms (iroh-gossip's dispatch timeout). Longer batches more at the cost of later
 *     repair.
 * @param maxIHaveInterval the longest a lazy peer's batch waits: each waits its link's heartbeat
 *     round trip (the latest or the smoothed one, whichever is lower), no shorter than {@code
 *     ihaveInterval} and no longer than this. Default 50 ms (guess: the top of the simulator's WAN
 *     round trips, and a cap when queues inflate one). At or below {@code ihaveInterval}, every
 *     batch waits {@code ihaveInterval}.
 * @param maxIHaveBatch announcements per IHave; a full batch is sent at once, and a peer's IHave or
 *     Graft beyond this many ids is truncated. Default 256 (guess: a few KiB per frame).
 * @param optimizationThreshold how many rounds shorter a lazy path must be than the eager delivery
 *     before the tree is rewired to it (section 3.8). Default 3 (measured; iroh-gossip's 7 left the
 *     copied trees of a tree per origin deeper: core README, Settings).
 * @param seenCapacity message ids remembered to discard duplicates. Default 65,536 (guess: minutes
 *     of traffic at hundreds of messages per second). Must cover the recovery history.
 * @param seenRetention how long an id is remembered. Default 5 min (guess); at least the recovery
 *     history retention, so a resend is never delivered twice.
 * @param cacheCapacity payloads kept to answer Graft. Default 4,096 (guess).
 * @param cacheBytes payload bytes kept to answer Graft. Default 64 MiB (guess).
 * @param cacheRetention how long a payload is kept to answer Graft. Default 30 s (iroh-gossip's
 *     message cache retention); it must outlast the graft timeouts.
 */
public record PlumtreeSettings(
    Duration ihaveInterval,
    Duration maxIHaveInterval,
    int maxIHaveBatch,
    int optimizationThreshold,
    int seenCapacity,
    Duration seenRetention,
    int cacheCapacity,
    long cacheBytes,
    Duration cacheRetention) {

  public PlumtreeSettings {
    Check.positive("dissemination.ihave-interval", ihaveInterval);
    Check.positive("dissemination.max-ihave-interval", maxIHaveInterval);
    Check.atLeast("dissemination.max-ihave-batch", maxIHaveBatch, 1);
    Check.atLeast("dissemination.optimization-threshold", optimizationThreshold, 1);
    Check.atLeast("dissemination.seen-capacity", seenCapacity, 1);
    Check.positive("dissemination.seen-retention", seenRetention);
    Check.atLeast("dissemination.cache-capacity", cacheCapacity, 1);
    Check.atLeast("dissemination.cache-bytes", cacheBytes, 1);
    Check.positive("dissemination.cache-retention", cacheRetention);
  }

  public static PlumtreeSettings defaults() {
    return new PlumtreeSettings(
        Duration.ofMillis(5),
        Duration.ofMillis(50),
        256,
        3,
        65_536,
        Duration.ofMinutes(5),
        4_096,
        64L << 20,
        Duration.ofSeconds(30));
  }
}
