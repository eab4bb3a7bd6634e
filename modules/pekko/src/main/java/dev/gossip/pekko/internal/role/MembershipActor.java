package dev.gossip.pekko.internal.role;

import dev.gossip.core.NodeId;
import dev.gossip.core.membership.HyParView;
import dev.gossip.pekko.GossipEvent;
import dev.gossip.pekko.Membership;
import dev.gossip.pekko.internal.NodeMetrics;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/** The membership role of a node: HyParView's active and passive views (DSN 2007). */
public final class MembershipActor extends RoleActor<MembershipActor.Command> {

  /** What the membership role takes: the commands every role takes, nothing more. */
  public sealed interface Command permits RoleCommand {}

  private final HyParView hyParView;
  private final NodeMetrics metrics;
  private final AtomicReference<Membership> views;

  /**
   * The membership role; {@code views} always holds the views as of the last command handled, and
   * each change is published as {@link GossipEvent.MembershipChanged}.
   */
  public static Behavior<Command> create(RoleNode node, AtomicReference<Membership> views) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(timers -> new MembershipActor(context, timers, node, views)));
  }

  private MembershipActor(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      RoleNode node,
      AtomicReference<Membership> views) {
    this(
        context,
        timers,
        new HyParView(node.self(), node.settings().membership(), new SplittableRandom()),
        node,
        views);
  }

  private MembershipActor(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      HyParView hyParView,
      RoleNode node,
      AtomicReference<Membership> views) {
    super(context, timers, hyParView, node);
    this.hyParView = hyParView;
    this.metrics = node.metrics();
    this.views = views;
    views.set(new Membership(node.self(), List.of(), List.of()));
  }

  @Override
  void afterCommand() {
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
}
