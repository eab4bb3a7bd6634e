package dev.gossip.core.membership;

import dev.gossip.core.Check;
import java.time.Duration;

/**
 * HyParView parameters. Defaults are the paper's (Leitão et al., DSN 2007, section 5: simulations
 * of 10,000 nodes) where it gives one; timing values are guesses for a LAN, noted as such.
 *
 * @param activeViewSize active view capacity; the paper uses log10(n) + 1. Default 5 (paper).
 * @param passiveViewSize passive view capacity; the paper uses k(log10(n) + c). Default 30 (paper).
 * @param activeRandomWalkLength ARWL, the ForwardJoin and Shuffle walk length. Default 6 (paper).
 * @param passiveRandomWalkLength PRWL, the ForwardJoin ttl at which the joiner enters the passive
 *     view. Default 3 (paper).
 * @param shuffleActiveCount ka, active members sent in a Shuffle. Default 3 (paper).
 * @param shufflePassiveCount kp, passive members sent in a Shuffle. Default 4 (paper).
 * @param shuffleInterval period of the shuffle and of the active-view refill. Default 10 s (guess;
 *     iroh-gossip uses 60 s). Shorter keeps passive views fresher at more traffic.
 * @param neighborRequestTimeout how long a Neighbor request or a Join may stay unanswered before
 *     the next candidate is tried. Default 2 s (guess).
 * @param rejoinBackoffMin first wait before re-joining through contacts once the active view is
 *     empty and the passive view exhausted, and before a node whose active view is short looks
 *     again (a refill tick, doubling up to the shuffle interval). Default 500 ms (guess).
 * @param rejoinBackoffMax the wait doubles per failed round up to this. Default 30 s (guess).
 * @param suspectRetention how long a peer whose link failed is remembered for revival probes (one
 *     per shuffle tick): a partition shorter than this heals by itself even when both sides have
 *     full views. Default 30 min (guess). Longer heals longer partitions at the cost of probing
 *     crashed peers for longer.
 */
public record MembershipSettings(
    int activeViewSize,
    int passiveViewSize,
    int activeRandomWalkLength,
    int passiveRandomWalkLength,
    int shuffleActiveCount,
    int shufflePassiveCount,
    Duration shuffleInterval,
    Duration neighborRequestTimeout,
    Duration rejoinBackoffMin,
    Duration rejoinBackoffMax,
    Duration suspectRetention) {

  public MembershipSettings {
    Check.atLeast("membership.active-view-size", activeViewSize, 1);
    Check.atLeast("membership.passive-view-size", passiveViewSize, 1);
    Check.atLeast("membership.active-random-walk-length", activeRandomWalkLength, 1);
    Check.atLeast("membership.passive-random-walk-length", passiveRandomWalkLength, 0);
    Check.that(
        passiveRandomWalkLength <= activeRandomWalkLength,
        "membership.passive-random-walk-length",
        "must be <= active-random-walk-length (" + activeRandomWalkLength + ")");
    Check.atLeast("membership.shuffle-active-count", shuffleActiveCount, 0);
    Check.atLeast("membership.shuffle-passive-count", shufflePassiveCount, 0);
    Check.positive("membership.shuffle-interval", shuffleInterval);
    Check.positive("membership.neighbor-request-timeout", neighborRequestTimeout);
    Check.positive("membership.rejoin-backoff-min", rejoinBackoffMin);
    Check.positive("membership.rejoin-backoff-max", rejoinBackoffMax);
    Check.that(
        rejoinBackoffMax.compareTo(rejoinBackoffMin) >= 0,
        "membership.rejoin-backoff-max",
        "must be >= rejoin-backoff-min (" + rejoinBackoffMin + ")");
    Check.positive("membership.suspect-retention", suspectRetention);
  }

  public static MembershipSettings defaults() {
    return new MembershipSettings(
        5,
        30,
        6,
        3,
        3,
        4,
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        Duration.ofMillis(500),
        Duration.ofSeconds(30),
        Duration.ofMinutes(30));
  }

  /** Most entries a Shuffle may carry: the origin plus ka and kp; extra entries are ignored. */
  public int maxShuffleNodes() {
    return 1 + shuffleActiveCount + shufflePassiveCount;
  }
}
