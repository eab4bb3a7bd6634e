package dev.gossip.core;

import java.util.Objects;

/** A timer scheduled with {@link Schedule} has fired. */
public record TimerExpired(Timer timer) implements Input {
  public TimerExpired {
    Objects.requireNonNull(timer, "timer");
  }
}
