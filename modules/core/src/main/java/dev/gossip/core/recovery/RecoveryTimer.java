package dev.gossip.core.recovery;

import dev.gossip.core.MessageId;
import dev.gossip.core.Timer;

/** The recovery role's timers. */
public sealed interface RecoveryTimer extends Timer {

  /** A message announced by IHave has not arrived in time: graft the next announcer. */
  record MissingTimeout(MessageId id) implements RecoveryTimer {}

  /** Periodic digest exchange with a random neighbour. */
  enum AntiEntropyTick implements RecoveryTimer {
    INSTANCE
  }
}
