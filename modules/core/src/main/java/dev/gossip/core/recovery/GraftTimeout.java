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
 * second timeout grows by the estimate's ratio to {@code graft-timeout}: it waits for a Graft's
 * answer, which crosses the same queues. A sample above the maximum is discarded: it is a loss or
 * an announcement made before the message existed, not a delay to wait for.
 *
 * <p>The first wait is at least {@code graft-timeout} plus {@value #FLOOR_RTTS} times the least
 * heartbeat round trip to the announcer since it became a neighbour: the link's propagation delay,
 * which neither queues, nor retransmissions, nor a node's start-up inflate. Over TCP a lost segment
 * holds the tree's copy, and everything after it on the link, until the sender retransmits, and the
 * retransmission timeout grows with the round trip; the lazy peers' IHaves meanwhile arrive on
 * time. A fixed least wait either grafts many such copies on a WAN or slows the repair of a crash
 * on a LAN; this one stays within a few milliseconds of {@code graft-timeout} there. With fixed
 * timers ({@code max-graft-timeout} equal to {@code graft-timeout}) it is {@code graft-timeout}.
 *
 * <p>Four things keep a burst from being learnt into the repair of a failure after it. A neighbour
 * going down resets the estimate: what came through it now comes only by Graft. A message delivered
 * before any IHave announced it shows the eager path ahead again: both the smoothed delay and its
 * deviation shrink by the smoothing gain (as a sample of zero would move the mean, without counting
 * it as spread), so once the queues drain the estimate falls to a tenth within about twenty
 * deliveries. Without samples the estimate halves for every {@code max-graft-timeout}. And each
 * wait is at most its least plus {@value #RTT_MULTIPLE} times the latest heartbeat round trip to
 * the peer it waits on: Pings cross the same link queues, so the bound is high while they are full
 * and falls with the first Pong after they drain.
 */
final class GraftTimeout {

  /** Least round trips to the announcer the first wait adds to {@code graft-timeout}. */
  static final int FLOOR_RTTS = 3;

  /** Latest round trips to the awaited peer a wait may add to its least. */
  static final int RTT_MULTIPLE = 2;

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

  /** Forgets the estimate: the waits are back at their least. */
  void reset() {
    smoothed = -1;
    deviation = 0;
  }

  /** Notes a message delivered before any IHave announced it. */
  void eagerFirst(long now) {
    decay(now);
    if (smoothed > 0) {
      smoothed -= smoothed / 8;
      deviation -= deviation / 8;
    }
  }

  /**
   * Wait after the first IHave of a missing message before grafting its announcer, whose latest
   * round trip was {@code rtt} and least one {@code minRtt} nanoseconds (negative if unknown).
   */
  Duration first(long now, long rtt, long minRtt) {
    decay(now);
    long floor = minRtt < 0 ? least.toNanos() : plus(least.toNanos(), FLOOR_RTTS, minRtt);
    long estimate = smoothed + 4 * deviation;
    if (smoothed < 0 || estimate <= floor) {
      return Duration.ofNanos(floor);
    }
    return Duration.ofNanos(Math.min(estimate, bound(floor, rtt)));
  }

  /** Wait after grafting a peer whose latest round trip was {@code rtt} before the next graft. */
  Duration second(long now, long rtt) {
    double scale = (double) first(now, -1, -1).toNanos() / least.toNanos();
    long scaled = (long) (secondLeast.toNanos() * scale);
    return Duration.ofNanos(Math.min(scaled, bound(secondLeast.toNanos(), rtt)));
  }

  /** The most a wait whose least is {@code base} nanoseconds may grow to. */
  private long bound(long base, long rtt) {
    return rtt < 0 ? max : plus(base, RTT_MULTIPLE, rtt);
  }

  /** {@code base} plus {@code times} round trips of {@code rtt}, at most {@code max}. */
  private long plus(long base, int times, long rtt) {
    return rtt > (max - base) / times ? max : base + times * rtt; // no overflow on hostile input
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
