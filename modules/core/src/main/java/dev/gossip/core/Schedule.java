package dev.gossip.core;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** Fire {@code timer} after {@code delay}, replacing a pending timer equal to it. */
public record Schedule(Duration delay, Timer timer) implements Output {
  public Schedule {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(timer, "timer");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
  }

  /**
   * The first run of a periodic timer, at a random point of its interval, so that the rounds of
   * nodes started together spread out.
   */
  public static Schedule firstOfPeriodic(Duration interval, Timer timer, RandomGenerator random) {
    return new Schedule(Duration.ofNanos(1 + random.nextLong(interval.toNanos())), timer);
  }
}
