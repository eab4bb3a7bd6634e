package dev.gossip.pekko.internal.link;

/**
 * The inbound frame rate limit of one link: a token bucket of {@code perSecond} tokens refilled
 * continuously, holding at most one second's worth. Kept as the time the bucket will be full again
 * (the generic cell rate algorithm), so a frame costs one comparison and one addition. Used by one
 * thread (the link manager's).
 */
final class FrameRate {

  private static final long SECOND = 1_000_000_000L;

  /** Nanoseconds of refill one frame uses. */
  private final long interval;

  /** When the bucket would be full again if no more frames came. */
  private long fullAt;

  FrameRate(int perSecond, long now) {
    this.interval = Math.max(1, SECOND / perSecond);
    this.fullAt = now;
  }

  /**
   * Takes a token for one frame arriving at {@code now} (System.nanoTime); false if none is left.
   */
  boolean admit(long now) {
    long from = Math.max(fullAt, now);
    if (from + interval - now > SECOND) {
      return false;
    }
    fullAt = from + interval;
    return true;
  }
}
