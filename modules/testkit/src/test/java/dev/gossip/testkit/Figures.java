package dev.gossip.testkit;

import java.time.Duration;
import java.util.Locale;

/** The figures a suite test measured, printed (never asserted) in one recognisable form. */
final class Figures {

  private Figures() {}

  static void print(String test, String figure, Object value) {
    System.out.println("[figure] " + test + ": " + figure + " = " + value);
  }

  static String seconds(long fromNanos) {
    return String.format(Locale.ROOT, "%.2f s", (System.nanoTime() - fromNanos) / 1e9);
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
  }

  static String fraction(long got, long wanted) {
    return String.format(
        Locale.ROOT, "%d/%d (%.1f %%)", got, wanted, wanted == 0 ? 100.0 : 100.0 * got / wanted);
  }
}
