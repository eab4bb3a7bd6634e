package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ClockOffsetTest {

  /** A remote clock 5 s ahead, round trips of 1-50 ms split unevenly between the two ways. */
  @Test
  void theShortestRoundTripBoundsTheError() {
    long skew = 5_000_000;
    ClockOffset clock = new ClockOffset();
    Random random = new Random(7);
    long now = 1_000_000_000;
    for (int i = 0; i < 8; i++) {
      long there = 1_000 + random.nextInt(25_000);
      long back = random.nextInt(25_000);
      clock.sample(now, now + there + skew, now + there + back);
      now += 100_000;
    }
    long error = Math.abs(clock.micros() - skew);
    assertTrue(
        error <= clock.uncertaintyMicros(),
        "offset " + clock.micros() + " within " + clock.uncertaintyMicros() + " of " + skew);
  }

  @Test
  void aSymmetricRoundTripGivesTheOffsetExactly() {
    ClockOffset clock = new ClockOffset();
    clock.sample(1_000, 1_500 - 250, 2_000);
    assertEquals(-250, clock.micros());
    assertEquals(500, clock.uncertaintyMicros());
  }

  @Test
  void anAnswerBeforeTheQuestionIsRefused() {
    ClockOffset clock = new ClockOffset();
    assertThrows(IllegalArgumentException.class, () -> clock.sample(2_000, 0, 1_000));
    assertThrows(IllegalStateException.class, clock::uncertaintyMicros);
  }
}
