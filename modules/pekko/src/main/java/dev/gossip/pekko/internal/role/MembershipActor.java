package dev.gossip.pekko.internal.role;

import dev.gossip.core.GossipSettings;
import dev.gossip.core.NodeId;
import dev.gossip.core.membership.HyParView;
import dev.gossip.pekko.internal.NodeMetrics;
import dev.gossip.pekko.internal.link.InboundGate;
import dev.gossip.pekko.internal.wire.Codec;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/** The membership role of a node: HyParView's active and passive views (DSN 2007). */
public final class MembershipActor extends AbstractBehavior<MembershipActor.Command> {

  /** What the membership role takes: the commands every role takes, nothing more. */
  public sealed interface Command permits RoleCommand {}

  private final RoleDriver driver;

  public static Behavior<Command> create(
      NodeId self, GossipSettings settings, Codec codec, NodeMetrics metrics, InboundGate gate) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  HyParView hyParView =
                      new HyParView(self, settings.membership(), new SplittableRandom());
                  Runnable gauges =
                      () -> {
                        metrics.activeViewSize = hyParView.activeView().size();
                        metrics.passiveViewSize = hyParView.passiveView().size();
                      };
                  return new MembershipActor(
                      context,
                      new RoleDriver(
                          context, timers, hyParView, gauges, self, codec, metrics, gate));
                }));
  }

  private MembershipActor(ActorContext<Command> context, RoleDriver driver) {
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
