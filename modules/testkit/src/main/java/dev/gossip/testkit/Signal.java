package dev.gossip.testkit;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Wakes the awaits of one cluster whenever a node reports an event, so a condition is re-checked as
 * soon as it may have changed (and at least every 100 ms, for metrics and the clock).
 */
final class Signal {

  private static final long RECHECK_NANOS = Duration.ofMillis(100).toNanos();

  private long version;

  synchronized void changed() {
    version++;
    notifyAll();
  }

  /**
   * Waits until {@code problem} returns null, for at most {@code timeout}; on timeout fails with
   * what it last returned.
   */
  void await(String what, Duration timeout, Supplier<String> problem) {
    String missing = awaitOrProblem(what, timeout, problem);
    if (missing != null) {
      throw new AssertionError(
          "timed out after " + timeout + " waiting for " + what + ": " + missing);
    }
  }

  /** Waits like {@link #await}; returns null if the condition came true, else the last problem. */
  String awaitOrProblem(String what, Duration timeout, Supplier<String> problem) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen;
      synchronized (this) {
        seen = version;
      }
      String missing = problem.get();
      if (missing == null) {
        return null;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return missing;
      }
      synchronized (this) {
        if (version == seen) {
          long nanos = Math.min(remaining, RECHECK_NANOS);
          try {
            wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
          }
        }
      }
    }
  }
}
