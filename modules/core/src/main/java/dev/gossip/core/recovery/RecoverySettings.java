package dev.gossip.core.recovery;

import dev.gossip.core.Check;
import java.time.Duration;

/**
 * Recovery parameters: Plumtree's missing-message timers (SRDS 2007, section 3.6) and the
 * anti-entropy exchange that goes beyond the paper.
 *
 * @param graftTimeout least wait after the first IHave for a missing message before grafting its
 *     announcer. Default 80 ms (iroh-gossip); it must exceed a round trip plus the IHave batching
 *     delay, or healthy eager pushes get grafted needlessly. With adaptive timers the wait is also
 *     at least this plus three times the least heartbeat round trip to the announcer, and under
 *     load it grows with the observed delay from an IHave to the eager delivery (see {@link
 *     GraftTimeout}).
 * @param secondGraftTimeout least wait after a graft before grafting the next announcer. Default 40
 *     ms (iroh-gossip; the paper asks for a shorter second timeout); it grows in proportion to the
 *     observed delay's estimate.
 * @param maxGraftTimeout the most the adaptive wait may grow to: the longest a lost message waits
 *     for its graft, whatever delay the node observes or a peer feigns (a missing message is also
 *     grafted once half of {@code historyCapacity} messages were delivered since its IHave, so that
 *     the announcer still holds it). Default 2 s (guess). Equal to {@code graftTimeout} turns
 *     adaptation off. Anti-entropy also leaves a message delivered less than this ago (at least
 *     {@code graftTimeout + secondGraftTimeout}) to the tree while the history is not about to drop
 *     it: it is most likely still on its way to the digest's sender.
 * @param maxMissing missing messages tracked at once; beyond this the oldest one first announced by
 *     the peer that first announced the most is dropped, so a peer announcing ids that never come
 *     cannot push out the others' (anti-entropy still covers what is dropped). Default 4,096
 *     (guess).
 * @param maxAnnouncers announcers remembered per missing message. Default 8 (guess: more than an
 *     active view).
 * @param antiEntropyInterval period of the digest exchange with one random neighbour. Default 5 s
 *     (guess). Shorter catches up sooner at the cost of one digest per period per node.
 * @param historyCapacity delivered messages kept for anti-entropy resends. Default 4,096 (guess).
 * @param historyBytes payload bytes kept for anti-entropy resends. Default 64 MiB (guess).
 * @param historyRetention how long a delivered message stays resendable: the longest cut-off a node
 *     recovers from. Default 2 min (guess).
 * @param maxOrigins origins summarised in a digest, most recently active first. Default 1,024.
 * @param maxGapsPerOrigin gap ranges tracked per origin, newest kept. Default 64 (guess).
 * @param maxResendPerDigest messages resent in answer to one digest; the rest follow in later
 *     exchanges. Default 256 (guess).
 */
public record RecoverySettings(
    Duration graftTimeout,
    Duration secondGraftTimeout,
    Duration maxGraftTimeout,
    int maxMissing,
    int maxAnnouncers,
    Duration antiEntropyInterval,
    int historyCapacity,
    long historyBytes,
    Duration historyRetention,
    int maxOrigins,
    int maxGapsPerOrigin,
    int maxResendPerDigest) {

  public RecoverySettings {
    Check.positive("recovery.graft-timeout", graftTimeout);
    Check.positive("recovery.second-graft-timeout", secondGraftTimeout);
    Check.positive("recovery.max-graft-timeout", maxGraftTimeout);
    Check.that(
        maxGraftTimeout.compareTo(graftTimeout) >= 0
            && maxGraftTimeout.compareTo(secondGraftTimeout) >= 0,
        "recovery.max-graft-timeout",
        "must be >= recovery.graft-timeout and recovery.second-graft-timeout, was "
            + maxGraftTimeout);
    Check.atLeast("recovery.max-missing", maxMissing, 1);
    Check.atLeast("recovery.max-announcers", maxAnnouncers, 1);
    Check.positive("recovery.anti-entropy-interval", antiEntropyInterval);
    Check.atLeast("recovery.history-capacity", historyCapacity, 1);
    Check.atLeast("recovery.history-bytes", historyBytes, 1);
    Check.positive("recovery.history-retention", historyRetention);
    Check.that(
        historyRetention.compareTo(
                resendHoldBack(graftTimeout, secondGraftTimeout, maxGraftTimeout))
            > 0,
        "recovery.history-retention",
        "must be longer than recovery.max-graft-timeout and than recovery.graft-timeout plus"
            + " recovery.second-graft-timeout (anti-entropy leaves younger messages to the tree),"
            + " was "
            + historyRetention);
    Check.atLeast("recovery.max-origins", maxOrigins, 1);
    Check.atLeast("recovery.max-gaps-per-origin", maxGapsPerOrigin, 1);
    Check.atLeast("recovery.max-resend-per-digest", maxResendPerDigest, 1);
  }

  /**
   * How long anti-entropy leaves a message delivered here to the tree before resending it: {@code
   * maxGraftTimeout}, and with fixed timers at least both of them, so that a node announced the
   * message has most likely grafted it by then.
   */
  public Duration resendHoldBack() {
    return resendHoldBack(graftTimeout, secondGraftTimeout, maxGraftTimeout);
  }

  // Static: the compact constructor checks it before the fields are assigned.
  private static Duration resendHoldBack(Duration first, Duration second, Duration max) {
    Duration bothTimers = first.plus(second);
    return max.compareTo(bothTimers) >= 0 ? max : bothTimers;
  }

  public static RecoverySettings defaults() {
    return new RecoverySettings(
        Duration.ofMillis(80),
        Duration.ofMillis(40),
        Duration.ofSeconds(2),
        4_096,
        8,
        Duration.ofSeconds(5),
        4_096,
        64L << 20,
        Duration.ofMinutes(2),
        1_024,
        64,
        256);
  }
}
