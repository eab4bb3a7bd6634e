package dev.gossip.pekko.internal.role;

import dev.gossip.core.MessageId;
import dev.gossip.core.Received;
import dev.gossip.core.Role;
import dev.gossip.core.dissemination.Plumtree;
import dev.gossip.core.message.Gossip;
import dev.gossip.pekko.internal.NodeMetrics;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.ReceiveBuilder;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The dissemination role of a node: Plumtree's eager and lazy push (SRDS 2007), and the node's
 * broadcasts, which it takes straight from the caller and completes itself.
 */
public final class DisseminationActor extends RoleActor<DisseminationActor.Command> {

  /** What the dissemination role takes: the commands every role takes, and broadcasts. */
  public sealed interface Command permits RoleCommand, Broadcast {}

  /** Broadcast a payload; {@code done}, if not null, gets its id. */
  public record Broadcast(byte[] payload, CompletableFuture<MessageId> done) implements Command {}

  private final Plumtree plumtree;
  private final NodeMetrics metrics;

  public static Behavior<Command> create(RoleNode node) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new DisseminationActor(
                        context,
                        timers,
                        new Plumtree(node.self(), node.settings().dissemination()),
                        node)));
  }

  private DisseminationActor(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Plumtree plumtree,
      RoleNode node) {
    super(context, timers, countingReceipts(plumtree, node.metrics()), node);
    this.plumtree = plumtree;
    this.metrics = node.metrics();
  }

  /** Plumtree, with each Gossip receipt recorded for the RMR and LDH gauges. */
  private static Role.StateMachine countingReceipts(Plumtree plumtree, NodeMetrics metrics) {
    return (input, now, out) -> {
      if (input instanceof Received r && r.message() instanceof Gossip g) {
        long before = plumtree.duplicates();
        plumtree.handle(input, now, out);
        metrics.gossipReceived(plumtree.duplicates() > before, g.round());
      } else {
        plumtree.handle(input, now, out);
      }
    };
  }

  @Override
  void afterCommand() {
    metrics.eagerPeers = plumtree.eagerPeers().size();
    metrics.lazyPeers = plumtree.lazyPeers().size();
    metrics.duplicates = plumtree.duplicates();
  }

  // The handlers are Pekko's serializable functions, never serialized.
  @SuppressWarnings("serial")
  @Override
  ReceiveBuilder<Command> ownCommands(ReceiveBuilder<Command> builder) {
    return builder.onMessage(Broadcast.class, this::onBroadcast);
  }

  private Behavior<Command> onBroadcast(Broadcast b) {
    MessageId id;
    try {
      id = driver.broadcast(plumtree, b.payload());
    } catch (RuntimeException e) {
      if (b.done() != null) {
        b.done().completeExceptionally(e);
      }
      throw e;
    }
    if (b.done() != null) {
      b.done().complete(id);
    }
    return Behaviors.same();
  }
}
