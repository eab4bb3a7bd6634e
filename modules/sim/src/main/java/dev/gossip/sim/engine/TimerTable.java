package dev.gossip.sim.engine;

import dev.gossip.core.Timer;
import dev.gossip.core.dissemination.IHaveFlush;
import dev.gossip.core.heartbeat.HeartbeatTick;
import dev.gossip.core.membership.MembershipTimer;
import dev.gossip.core.recovery.RecoveryTimer;
import java.util.HashMap;

/**
 * One node's pending timers: the sequence number of the event scheduled last for each timer value.
 * Rescheduling a pending timer replaces it (the runtime's semantics): the older event still sits in
 * the queue but no longer matches and is skipped when it comes up. Sequences are unique over a run,
 * so a stale event can never match a later schedule of the same timer. The periodic singleton
 * timers live in an array, the rest (per peer, per message) in a map emptied as they fire.
 */
final class TimerTable {

  private final long[] singletons = new long[5];
  private HashMap<Timer, long[]> others;

  void scheduled(Timer timer, long sequence) {
    int slot = singletonSlot(timer);
    if (slot >= 0) {
      singletons[slot] = sequence;
      return;
    }
    if (others == null) {
      others = new HashMap<>();
    }
    long[] pending = others.get(timer);
    if (pending == null) {
      others.put(timer, new long[] {sequence});
    } else {
      pending[0] = sequence;
    }
  }

  /** Whether the event with this sequence is the timer's latest schedule; if so it is consumed. */
  boolean fire(Timer timer, long sequence) {
    int slot = singletonSlot(timer);
    if (slot >= 0) {
      if (singletons[slot] != sequence) {
        return false;
      }
      singletons[slot] = 0;
      return true;
    }
    long[] pending = others == null ? null : others.get(timer);
    if (pending == null || pending[0] != sequence) {
      return false;
    }
    others.remove(timer);
    return true;
  }

  void clear() {
    java.util.Arrays.fill(singletons, 0);
    others = null;
  }

  private static int singletonSlot(Timer timer) {
    if (timer == HeartbeatTick.INSTANCE) {
      return 0;
    } else if (timer == IHaveFlush.INSTANCE) {
      return 1;
    } else if (timer == MembershipTimer.ShuffleTick.INSTANCE) {
      return 2;
    } else if (timer == RecoveryTimer.AntiEntropyTick.INSTANCE) {
      return 3;
    } else if (timer == MembershipTimer.JoinTick.INSTANCE) {
      return 4;
    }
    return -1;
  }
}
