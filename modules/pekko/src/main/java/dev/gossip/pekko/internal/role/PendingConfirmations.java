package dev.gossip.pekko.internal.role;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.pekko.BroadcastNotConfirmedException;
import dev.gossip.pekko.BroadcastNotConfirmedException.Reason;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The node's confirmed broadcasts waiting for their acks, owned by the dissemination actor: the
 * distinct neighbours that acknowledged each, and a timer each on the actor's scheduler. At most
 * {@code max} wait at once; each leaves when it is confirmed, times out, or the node leaves.
 */
final class PendingConfirmations {

  private static final class Pending {
    final int wanted;
    final CompletableFuture<MessageId> done;
    final Set<NodeId> acked = new HashSet<>();

    Pending(int wanted, CompletableFuture<MessageId> done) {
      this.wanted = wanted;
      this.done = done;
    }
  }

  private final Map<MessageId, Pending> pending = new HashMap<>();
  private final TimerScheduler<DisseminationActor.Command> timers;
  private final int max;

  PendingConfirmations(TimerScheduler<DisseminationActor.Command> timers, int max) {
    this.timers = timers;
    this.max = max;
  }

  boolean full() {
    return pending.size() >= max;
  }

  /** Waits up to {@code timeout} for {@code wanted} neighbours to acknowledge {@code id}. */
  void await(MessageId id, int wanted, Duration timeout, CompletableFuture<MessageId> done) {
    pending.put(id, new Pending(wanted, done));
    DisseminationActor.ConfirmationTimeout key = new DisseminationActor.ConfirmationTimeout(id);
    timers.startSingleTimer(key, key, timeout);
  }

  /** Neighbour {@code peer} acknowledged {@code id}; completes it at the acks it waits for. */
  void acknowledged(MessageId id, NodeId peer) {
    Pending p = pending.get(id);
    if (p != null && p.acked.add(peer) && p.acked.size() >= p.wanted) {
      pending.remove(id);
      timers.cancel(new DisseminationActor.ConfirmationTimeout(id));
      p.done.complete(id);
    }
  }

  /** Fails {@code id}, if it still waits. */
  void fail(MessageId id, Reason reason) {
    Pending p = pending.remove(id);
    if (p != null) {
      timers.cancel(new DisseminationActor.ConfirmationTimeout(id));
      p.done.completeExceptionally(
          new BroadcastNotConfirmedException(id, p.acked.size(), p.wanted, reason));
    }
  }

  void failAll(Reason reason) {
    for (MessageId id : Set.copyOf(pending.keySet())) {
      fail(id, reason);
    }
  }
}
