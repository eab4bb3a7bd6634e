package dev.gossip.pekko.internal.role;

import dev.gossip.core.recovery.Recovery;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The recovery role of a node: missing-message timers driven by IHave, and the anti-entropy digest
 * exchange that lets a node cut off longer than the IHave window catch up from a bounded history.
 */
public final class RecoveryActor extends RoleActor<RecoveryActor.Command> {

  /** What the recovery role takes: the commands every role takes, nothing more. */
  public sealed interface Command permits RoleCommand {}

  public static Behavior<Command> create(RoleNode node) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new RecoveryActor(context, timers, node)));
  }

  private RecoveryActor(
      ActorContext<Command> context, TimerScheduler<Command> timers, RoleNode node) {
    super(context, timers, new Recovery(node.settings().recovery(), new SplittableRandom()), node);
  }
}
