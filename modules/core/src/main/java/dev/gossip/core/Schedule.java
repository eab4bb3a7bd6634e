package dev.gossip.core;

import java.time.Duration;
import java.util.Objects;

/** Fire {@code timer} after {@code delay}, replacing a pending timer equal to it. */
public record Schedule(Duration delay, Timer timer) implements Output {
  public Schedule {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(timer, "timer");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
  }
}
