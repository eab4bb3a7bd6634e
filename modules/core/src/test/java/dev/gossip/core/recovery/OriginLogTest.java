package dev.gossip.core.recovery;

import static dev.gossip.core.testing.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gossip.core.NodeId;
import dev.gossip.core.message.OriginSummary;
import dev.gossip.core.message.SequenceRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-origin log: highest sequence, gap splitting, the gap limit and gap expiry. */
class OriginLogTest {

  private static final NodeId ORIGIN = node(9);
  private static final long T0 = 5_000L;

  private static OriginSummary summary(long highest, SequenceRange... gaps) {
    return new OriginSummary(ORIGIN, highest, List.of(gaps));
  }

  private static SequenceRange range(long from, long to) {
    return new SequenceRange(from, to);
  }

  private static OriginLog log(int maxGaps, long... sequences) {
    OriginLog log = new OriginLog(sequences[0], maxGaps, T0);
    for (int i = 1; i < sequences.length; i++) {
      log.record(sequences[i], T0);
    }
    return log;
  }

  @Test
  void aLogStartingAtOneHasNoGaps() {
    OriginLog log = log(8, 1);
    assertEquals(summary(1), log.summary(ORIGIN));
    assertEquals(0, log.gapCount());
  }

  @Test
  void aLogStartingAboveOneMissesEverySequenceBelowIt() {
    assertEquals(summary(5, range(1, 4)), log(8, 5).summary(ORIGIN));
    assertEquals(summary(2, range(1, 1)), log(8, 2).summary(ORIGIN));
  }

  @Test
  void theNextSequenceRaisesTheHighestWithoutAGap() {
    assertEquals(summary(3), log(8, 1, 2, 3).summary(ORIGIN));
  }

  @Test
  void aSequenceAboveTheNextOpensAGap() {
    assertEquals(summary(7, range(2, 3), range(5, 6)), log(8, 1, 4, 7).summary(ORIGIN));
  }

  @Test
  void fillingTheStartOfAGapShrinksItFromBelow() {
    assertEquals(summary(6, range(3, 5)), log(8, 1, 6, 2).summary(ORIGIN));
  }

  @Test
  void fillingTheEndOfAGapShrinksItFromAbove() {
    assertEquals(summary(6, range(2, 4)), log(8, 1, 6, 5).summary(ORIGIN));
  }

  @Test
  void fillingTheMiddleOfAGapSplitsIt() {
    OriginLog log = log(8, 1, 10, 5);
    assertEquals(summary(10, range(2, 4), range(6, 9)), log.summary(ORIGIN));
    assertEquals(2, log.gapCount());
  }

  @Test
  void fillingASingleSequenceGapRemovesIt() {
    OriginLog log = log(8, 1, 3, 5, 4);
    assertEquals(summary(5, range(2, 2)), log.summary(ORIGIN));
    assertEquals(1, log.gapCount());
  }

  @Test
  void aDuplicateChangesNothing() {
    assertEquals(summary(6, range(2, 5)), log(8, 1, 6, 6, 1).summary(ORIGIN));
  }

  @Test
  void everyRecordCountsAsActivity() {
    OriginLog log = new OriginLog(1, 8, T0);
    assertEquals(T0, log.updatedAt());
    log.record(1, T0 + 7);
    assertEquals(T0 + 7, log.updatedAt());
    log.record(3, T0 + 9);
    assertEquals(T0 + 9, log.updatedAt());
  }

  @Test
  void openingAGapBeyondMaxGapsMergesTheTwoLowest() {
    OriginLog log = log(2, 1, 3, 5, 7);
    // 3 is claimed missing again: a resend of it is dropped as seen, nothing missing is hidden.
    assertEquals(summary(7, range(2, 4), range(6, 6)), log.summary(ORIGIN));
    assertEquals(2, log.gapCount());
  }

  @Test
  void splittingAGapBeyondMaxGapsMergesTheTwoLowest() {
    OriginLog log = log(2, 1, 10, 20);
    log.record(5, T0);
    assertEquals(summary(20, range(2, 9), range(11, 19)), log.summary(ORIGIN));
    assertEquals(2, log.gapCount());
  }

  @Test
  void withOneGapAllowedTheGapSpansEverythingMissing() {
    OriginLog log = log(1, 4);
    assertEquals(summary(4, range(1, 3)), log.summary(ORIGIN));
    log.record(2, T0);
    assertEquals(summary(4, range(1, 3)), log.summary(ORIGIN));
    log.record(9, T0);
    assertEquals(summary(9, range(1, 8)), log.summary(ORIGIN));
  }

  @Test
  void expiryRemovesExactlyTheGapsAtLeastOneRetentionOld() {
    OriginLog log = new OriginLog(1, 8, 0);
    log.record(3, 100); // gap 2..2 since 100
    log.record(6, 200); // gap 4..5 since 200
    log.expire(299, 200);
    assertEquals(summary(6, range(2, 2), range(4, 5)), log.summary(ORIGIN));
    log.expire(300, 200);
    assertEquals(summary(6, range(4, 5)), log.summary(ORIGIN));
    log.expire(400, 200);
    assertEquals(summary(6), log.summary(ORIGIN));
  }

  @Test
  void theInitialGapAgesFromTheFirstDelivery() {
    OriginLog log = new OriginLog(3, 8, 100);
    log.expire(299, 200);
    assertEquals(summary(3, range(1, 2)), log.summary(ORIGIN));
    log.expire(300, 200);
    assertEquals(summary(3), log.summary(ORIGIN));
  }

  @Test
  void theRemainsOfASplitGapKeepItsAge() {
    OriginLog log = new OriginLog(1, 8, 0);
    log.record(10, 100); // gap 2..9 since 100
    log.record(5, 250); // split: both halves still since 100
    log.expire(299, 200);
    assertEquals(summary(10, range(2, 4), range(6, 9)), log.summary(ORIGIN));
    log.expire(300, 200);
    assertEquals(summary(10), log.summary(ORIGIN));
    assertEquals(250, log.updatedAt());
  }

  @Test
  void expiryDoesNotTouchTheHighest() {
    OriginLog log = new OriginLog(1, 8, 0);
    log.record(4, 0);
    log.expire(Long.MAX_VALUE / 2, 1);
    assertEquals(summary(4), log.summary(ORIGIN));
  }

  @Test
  void theLargestSequenceIsHandledWithoutOverflow() {
    OriginLog log = log(8, 1, Long.MAX_VALUE);
    assertEquals(summary(Long.MAX_VALUE, range(2, Long.MAX_VALUE - 1)), log.summary(ORIGIN));
    log.record(Long.MAX_VALUE - 1, T0);
    assertEquals(summary(Long.MAX_VALUE, range(2, Long.MAX_VALUE - 2)), log.summary(ORIGIN));
    log.record(Long.MAX_VALUE, T0);
    assertEquals(summary(Long.MAX_VALUE, range(2, Long.MAX_VALUE - 2)), log.summary(ORIGIN));
    assertEquals(
        summary(Long.MAX_VALUE, range(1, Long.MAX_VALUE - 1)),
        log(8, Long.MAX_VALUE).summary(ORIGIN));
  }
}
