package dev.gossip.core.recovery;

import java.time.Duration;

/**
 * The missing-message timeouts, adapted to the delay this node observes from a message's first
 * IHave to its eager delivery. Beyond the paper, whose timeout is fixed: with many broadcasts in
 * flight a Gossip waits in link and actor queues far longer than {@code graft-timeout}, so a fixed
 * timer grafts links whose eager push is merely queued, and each graft carries duplicates until its
 * Prune comes back through the same queues.
 *
 * <p>The estimate is RFC 6298's retransmission timer: a smoothed delay (gain 1/8) plus four times
 * its mean deviation (gain 1/4), clamped to [{@code graft-timeout}, {@code max-graft-timeout}]. The
 * second timeout keeps its configured ratio to the first: it waits for a Graft's answer, which
 * crosses the same queues. A sample above the maximum is discarded: it is a loss or an announcement
 * made before the message existed, not a delay to wait for. Samples come only from messages whose
 * IHave beat the eager push, which stops when the queues drain; so the estimate halves for every
 * {@code max-graft-timeout} without a sample, and a burst of load does not slow the repair of a
 * failure long after it.
 */
final class GraftTimeout {

  private final Duration least;
  private final Duration secondLeast;
  private final long max;

  /** Smoothed delay in nanoseconds; negative until the first sample. */
  private long smoothed = -1;

  private long deviation;

  /** When the last sample came, or the estimate last halved since. */
  private long sampledAt;

  GraftTimeout(RecoverySettings settings) {
    this.least = settings.graftTimeout();
    this.secondLeast = settings.secondGraftTimeout();
    this.max = settings.maxGraftTimeout().toNanos();
  }

  /** Notes the delay of a message from its first IHave to its delivery, no graft answering it. */
  void sample(long delay, long now) {
    decay(now);
    if (delay < 0 || delay > max) {
      return;
    }
    sampledAt = now;
    if (smoothed < 0) {
      smoothed = delay;
      deviation = delay / 2;
    } else {
      deviation += (Math.abs(smoothed - delay) - deviation) / 4;
      smoothed += (delay - smoothed) / 8;
    }
  }

  /** Wait after the first IHave of a missing message before grafting its announcer. */
  Duration first(long now) {
    decay(now);
    long estimate = smoothed + 4 * deviation;
    if (smoothed < 0 || estimate <= least.toNanos()) {
      return least;
    }
    return Duration.ofNanos(Math.min(estimate, max));
  }

  /** Wait after a graft before grafting the next announcer. */
  Duration second(long now) {
    Duration first = first(now);
    if (first == least) {
      return secondLeast;
    }
    double scale = (double) first.toNanos() / least.toNanos();
    return Duration.ofNanos(Math.min((long) (secondLeast.toNanos() * scale), max));
  }

  private void decay(long now) {
    long quiet = now - sampledAt;
    if (smoothed < 0 || quiet < max) {
      return; // a clock stepping back makes quiet negative: no decay
    }
    long periods = quiet / max;
    int shift = (int) Math.min(periods, 62);
    smoothed >>= shift;
    deviation >>= shift;
    sampledAt += periods * max;
  }
}
