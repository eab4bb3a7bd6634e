package dev.gossip.pekko.internal.role;

import dev.gossip.core.Input;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.heartbeat.HeardFrom;
import dev.gossip.core.heartbeat.Heartbeat;
import dev.gossip.core.heartbeat.HeartbeatTick;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.ReceiveBuilder;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The heartbeat role of a node: a Ping per active link every interval and the RTT from the Pongs; a
 * link silent past the failure timeout is reported failed. Each link's last read stands for the
 * data frames, which are not routed here one by one: it is handed in before every tick.
 */
public final class HeartbeatActor extends RoleActor<HeartbeatActor.Command> {

  /** What the heartbeat role takes: the commands every role takes, nothing more. */
  public sealed interface Command permits RoleCommand {}

  public static Behavior<Command> create(RoleNode node) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new HeartbeatActor(context, timers, node)));
  }

  private HeartbeatActor(
      ActorContext<Command> context, TimerScheduler<Command> timers, RoleNode node) {
    super(context, timers, new Heartbeat(node.settings().heartbeat()), node);
  }

  // The handlers are Pekko's serializable functions, never serialized.
  @SuppressWarnings("serial")
  @Override
  ReceiveBuilder<Command> ownCommands(ReceiveBuilder<Command> builder) {
    return builder.onMessage(
        RoleCommand.TimerFired.class,
        t -> t.timer() == HeartbeatTick.INSTANCE,
        t -> {
          driver.on(new RoleCommand.HandleAll(lastReadThenTick()));
          return Behaviors.same();
        });
  }

  /** Each link's last read as a sign of life, then the tick that judges them. */
  private List<Input> lastReadThenTick() {
    List<Input> inputs = new ArrayList<>();
    driver.wiring().registry().forEachLastRead((peer, at) -> inputs.add(new HeardFrom(peer, at)));
    inputs.add(new TimerExpired(HeartbeatTick.INSTANCE));
    return inputs;
  }
}
