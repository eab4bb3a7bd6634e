package dev.gossip.pekko.internal.role;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.Received;
import dev.gossip.core.Role;
import dev.gossip.core.dissemination.Acknowledged;
import dev.gossip.core.dissemination.Plumtree;
import dev.gossip.core.message.Ack;
import dev.gossip.core.message.Gossip;
import dev.gossip.pekko.BroadcastNotConfirmedException;
import dev.gossip.pekko.BroadcastNotConfirmedException.Reason;
import dev.gossip.pekko.internal.NodeMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.ReceiveBuilder;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The dissemination role of a node: Plumtree's eager and lazy push (SRDS 2007), and the node's
 * broadcasts, which it takes straight from the caller and completes itself. A confirmed broadcast
 * completes when enough neighbours acknowledged it: the acks arrive here with the other Plumtree
 * frames and are counted here ({@link PendingConfirmations}), so unconfirmed broadcasts pay
 * nothing.
 */
public final class DisseminationActor extends RoleActor<DisseminationActor.Command> {

  /** What the dissemination role takes: the commands every role takes, and broadcasts. */
  public sealed interface Command permits RoleCommand, Broadcast, ConfirmationTimeout, Left {}

  /**
   * Broadcast a payload; {@code done}, if not null, gets its id, once {@code acks} neighbours
   * acknowledged it within {@code timeout} if {@code acks} is above 0.
   */
  public record Broadcast(
      byte[] payload, int acks, Duration timeout, CompletableFuture<MessageId> done)
      implements Command {

    /** An unconfirmed broadcast. */
    public Broadcast(byte[] payload, CompletableFuture<MessageId> done) {
      this(payload, 0, null, done);
    }
  }

  /** The node left the overlay: pending confirmations fail. */
  public enum Left implements Command {
    INSTANCE
  }

  /** A confirmed broadcast's timeout; also the key of its timer. */
  record ConfirmationTimeout(MessageId id) implements Command {}

  private final Plumtree plumtree;
  private final NodeMetrics metrics;
  private final PendingConfirmations confirmations;
  private boolean left;

  public static Behavior<Command> create(RoleNode node, int maxPendingConfirmations) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  PendingConfirmations confirmations =
                      new PendingConfirmations(timers, maxPendingConfirmations);
                  return new DisseminationActor(
                      context,
                      timers,
                      new Plumtree(node.self(), node.settings().dissemination()),
                      confirmations,
                      node);
                }));
  }

  private DisseminationActor(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Plumtree plumtree,
      PendingConfirmations confirmations,
      RoleNode node) {
    super(
        context,
        timers,
        countingReceipts(plumtree, node.metrics(), confirmations::acknowledged),
        node);
    this.plumtree = plumtree;
    this.metrics = node.metrics();
    this.confirmations = confirmations;
  }

  /**
   * Plumtree, with each Gossip receipt recorded for the RMR and LDH gauges, and the acks of
   * confirmed broadcasts (an Ack's only output) counted.
   */
  private static Role.StateMachine countingReceipts(
      Plumtree plumtree, NodeMetrics metrics, BiConsumer<MessageId, NodeId> acks) {
    return (input, now, out) -> {
      if (input instanceof Received r && r.message() instanceof Gossip g) {
        long before = plumtree.duplicates();
        plumtree.handle(input, now, out);
        metrics.gossipReceived(plumtree.duplicates() > before, g.round());
        return;
      }
      if (input instanceof Received r && r.message() instanceof Ack) {
        plumtree.handle(
            input,
            now,
            output -> {
              if (output instanceof Acknowledged a) {
                acks.accept(a.id(), a.peer());
              } else {
                out.add(output);
              }
            });
        return;
      }
      plumtree.handle(input, now, out);
    };
  }

  @Override
  void afterCommand() {
    metrics.eagerPeers = plumtree.eagerPeerCount();
    metrics.lazyPeers = plumtree.lazyPeerCount();
    metrics.duplicates = plumtree.duplicates();
  }

  // The handlers are Pekko's serializable functions, never serialized.
  @SuppressWarnings("serial")
  @Override
  ReceiveBuilder<Command> ownCommands(ReceiveBuilder<Command> builder) {
    return builder
        .onMessage(Broadcast.class, this::onBroadcast)
        .onMessage(
            ConfirmationTimeout.class,
            t -> {
              confirmations.fail(t.id(), Reason.TIMEOUT);
              return Behaviors.same();
            })
        .onMessage(
            Left.class,
            l -> {
              left = true;
              confirmations.failAll(Reason.LEFT);
              return Behaviors.same();
            });
  }

  private Behavior<Command> onBroadcast(Broadcast b) {
    if (b.acks() > 0 && (left || confirmations.full())) {
      // Not broadcast: after leaving the Broadcaster refuses it, unless it crossed the Leave.
      b.done()
          .completeExceptionally(
              new BroadcastNotConfirmedException(
                  null, 0, b.acks(), left ? Reason.LEFT : Reason.TOO_MANY_PENDING));
      return Behaviors.same();
    }
    MessageId id;
    try {
      id = driver.broadcast(plumtree, b.payload(), b.acks());
    } catch (RuntimeException e) {
      if (b.done() != null) {
        b.done().completeExceptionally(e);
      }
      throw e;
    }
    if (b.acks() == 0) {
      if (b.done() != null) {
        b.done().complete(id);
      }
    } else if (plumtree.eagerPeerCount() + plumtree.lazyPeerCount() < b.acks()) {
      b.done()
          .completeExceptionally(
              new BroadcastNotConfirmedException(id, 0, b.acks(), Reason.NOT_ENOUGH_NEIGHBORS));
    } else {
      confirmations.await(id, b.acks(), b.timeout(), b.done());
    }
    return Behaviors.same();
  }
}
