package dev.gossip.pekko.internal.role;

import dev.gossip.core.GossipSettings;
import dev.gossip.core.NodeId;
import dev.gossip.core.membership.HyParView;
import dev.gossip.pekko.GossipEvent;
import dev.gossip.pekko.Membership;
import dev.gossip.pekko.internal.NodeMetrics;
import dev.gossip.pekko.internal.link.InboundGate;
import dev.gossip.pekko.internal.wire.Codec;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/** The membership role of a node: HyParView's active and passive views (DSN 2007). */
public final class MembershipActor extends AbstractBehavior<MembershipActor.Command> {

  /** What the membership role takes: the commands every role takes, nothing more. */
  public sealed interface Command permits RoleCommand {}

  private final RoleDriver driver;

  private final HyParView hyParView;
  private final NodeMetrics metrics;
  private final AtomicReference<Membership> views;

  /**
   * The membership role; {@code views} always holds the views as of the last command handled, and
   * each change is published as {@link GossipEvent.MembershipChanged}.
   */
  public static Behavior<Command> create(
      NodeId self,
      GossipSettings settings,
      Codec codec,
      NodeMetrics metrics,
      InboundGate gate,
      AtomicReference<Membership> views) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new MembershipActor(
                        context, timers, self, settings, codec, metrics, gate, views)));
  }

  private MembershipActor(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      NodeId self,
      GossipSettings settings,
      Codec codec,
      NodeMetrics metrics,
      InboundGate gate,
      AtomicReference<Membership> views) {
    super(context);
    this.hyParView = new HyParView(self, settings.membership(), new SplittableRandom());
    this.metrics = metrics;
    this.views = views;
    this.driver =
        new RoleDriver(context, timers, hyParView, this::afterCommand, self, codec, metrics, gate);
    views.set(new Membership(self, List.of(), List.of()));
  }

  private void afterCommand() {
    metrics.activeViewSize = hyParView.activeView().size();
    metrics.passiveViewSize = hyParView.passiveView().size();
    publishViews();
  }

  /** Publishes the views if the command just handled changed them. */
  private void publishViews() {
    Membership last = views.get();
    if (sameOrder(last.activeView(), hyParView.activeView())
        && sameOrder(last.passiveView(), hyParView.passiveView())) {
      return;
    }
    Membership now =
        new Membership(
            last.self(), List.copyOf(hyParView.activeView()), List.copyOf(hyParView.passiveView()));
    views.set(now);
    driver.wiring().subscribers().publish(new GossipEvent.MembershipChanged(now));
  }

  private static boolean sameOrder(List<NodeId> list, Collection<NodeId> view) {
    if (list.size() != view.size()) {
      return false;
    }
    Iterator<NodeId> it = list.iterator();
    for (NodeId id : view) {
      if (!id.equals(it.next())) {
        return false;
      }
    }
    return true;
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
