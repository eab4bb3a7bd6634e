package dev.gossip.pekko.internal.role;

import dev.gossip.core.GossipSettings;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.Received;
import dev.gossip.core.Role;
import dev.gossip.core.dissemination.Plumtree;
import dev.gossip.core.message.Gossip;
import dev.gossip.pekko.internal.NodeMetrics;
import dev.gossip.pekko.internal.link.InboundGate;
import dev.gossip.pekko.internal.wire.Codec;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The dissemination role of a node: Plumtree's eager and lazy push (SRDS 2007), and the node's
 * broadcasts, which it takes straight from the caller and completes itself.
 */
public final class DisseminationActor extends AbstractBehavior<DisseminationActor.Command> {

  /** What the dissemination role takes: the commands every role takes, and broadcasts. */
  public sealed interface Command permits RoleCommand, Broadcast {}

  /** Broadcast a payload; {@code done}, if not null, gets its id. */
  public record Broadcast(byte[] payload, CompletableFuture<MessageId> done) implements Command {}

  private final RoleDriver driver;
  private final Plumtree plumtree;

  public static Behavior<Command> create(
      NodeId self, GossipSettings settings, Codec codec, NodeMetrics metrics, InboundGate gate) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  Plumtree plumtree = new Plumtree(self, settings.dissemination());
                  Role.StateMachine machine =
                      (input, now, out) -> {
                        if (input instanceof Received r && r.message() instanceof Gossip g) {
                          long before = plumtree.duplicates();
                          plumtree.handle(input, now, out);
                          metrics.gossipReceived(plumtree.duplicates() > before, g.round());
                        } else {
                          plumtree.handle(input, now, out);
                        }
                      };
                  Runnable gauges =
                      () -> {
                        metrics.eagerPeers = plumtree.eagerPeers().size();
                        metrics.lazyPeers = plumtree.lazyPeers().size();
                        metrics.duplicates = plumtree.duplicates();
                      };
                  return new DisseminationActor(
                      context,
                      plumtree,
                      new RoleDriver(context, timers, machine, gauges, self, codec, metrics, gate));
                }));
  }

  private DisseminationActor(ActorContext<Command> context, Plumtree plumtree, RoleDriver driver) {
    super(context);
    this.plumtree = plumtree;
    this.driver = driver;
  }

  // The handlers are Pekko's serializable functions, never serialized.
  @SuppressWarnings("serial")
  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Broadcast.class, this::onBroadcast)
        .onMessage(
            RoleCommand.class,
            c -> {
              driver.on(c);
              return Behaviors.same();
            })
        .build();
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
