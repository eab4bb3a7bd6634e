package dev.gossip.sim.engine;

import dev.gossip.core.Timer;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.heartbeat.HeartbeatTick;
import dev.gossip.core.membership.MembershipTimer;
import dev.gossip.core.recovery.RecoveryTimer;
import java.util.Arrays;
import java.util.HashMap;

/**
 * One node's pending timers. Each timer value has one {@link Pending} record that the queued events
 * point to; it holds the sequence of the event scheduled last. Rescheduling a pending timer
 * replaces it (the runtime's semantics): the older event still sits in the queue but no longer
 * matches and is skipped, without any lookup. Sequences are unique over a run, so a stale event can
 * never match a later schedule. The periodic singleton timers keep their record for good; the
 * others (per peer, per message) are forgotten when they fire, so the table stays small.
 */
final class TimerTable {

  /** The latest schedule of one timer; the payload of its queued events. */
  static final class Pending {
    final TimerExpired expired;
    final boolean singleton;
    long sequence;

    Pending(Timer timer, boolean singleton) {
      this.expired = new TimerExpired(timer);
      this.singleton = singleton;
    }
  }

  private final Pending[] singletons = new Pending[5];
  private HashMap<Timer, Pending> others;

  /** The record to schedule {@code timer} with; the caller stores the new event's sequence. */
  Pending pending(Timer timer) {
    int slot = singletonSlot(timer);
    if (slot >= 0) {
      Pending p = singletons[slot];
      if (p == null) {
        p = new Pending(timer, true);
        singletons[slot] = p;
      }
      return p;
    }
    if (others == null) {
      others = new HashMap<>();
    }
    Pending p = others.get(timer);
    if (p == null) {
      p = new Pending(timer, false);
      others.put(timer, p);
    }
    return p;
  }

  /** The timer has fired: it is no longer pending. */
  void consume(Pending p) {
    p.sequence = 0;
    if (!p.singleton) {
      others.remove(p.expired.timer());
    }
  }

  void clear() {
    Arrays.fill(singletons, null);
    others = null;
  }

  private static int singletonSlot(Timer timer) {
    if (timer == HeartbeatTick.INSTANCE) {
      return 0;
    } else if (timer == MembershipTimer.ShuffleTick.INSTANCE) {
      return 1;
    } else if (timer == RecoveryTimer.AntiEntropyTick.INSTANCE) {
      return 2;
    } else if (timer == MembershipTimer.JoinTick.INSTANCE) {
      return 3;
    } else if (timer == MembershipTimer.RefillTick.INSTANCE) {
      return 4;
    }
    return -1;
  }
}
