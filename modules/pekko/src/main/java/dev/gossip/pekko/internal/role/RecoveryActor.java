package dev.gossip.pekko.internal.role;

import dev.gossip.core.GossipSettings;
import dev.gossip.core.NodeId;
import dev.gossip.core.recovery.Recovery;
import dev.gossip.pekko.internal.NodeMetrics;
import dev.gossip.pekko.internal.link.InboundGate;
import dev.gossip.pekko.internal.wire.Codec;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The recovery role of a node: missing-message timers driven by IHave, and the anti-entropy digest
 * exchange that lets a node cut off longer than the IHave window catch up from a bounded history.
 */
public final class RecoveryActor extends AbstractBehavior<RecoveryActor.Command> {

  /** What the recovery role takes: the commands every role takes, nothing more. */
  public sealed interface Command permits RoleCommand {}

  private final RoleDriver driver;

  public static Behavior<Command> create(
      NodeId self, GossipSettings settings, Codec codec, NodeMetrics metrics, InboundGate gate) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  Recovery recovery = new Recovery(settings.recovery(), new SplittableRandom());
                  return new RecoveryActor(
                      context,
                      new RoleDriver(
                          context, timers, recovery, () -> {}, self, codec, metrics, gate));
                }));
  }

  private RecoveryActor(ActorContext<Command> context, RoleDriver driver) {
    super(context);
    this.driver = driver;
  }

  // The handlers are Pekko's serializable functions, never serialized.
  @SuppressWarnings("serial")
  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(
            RoleCommand.class,
            c -> {
              driver.on(c);
              return Behaviors.same();
            })
        .build();
  }
}
