package dev.gossip.pekko.internal.role;

import dev.gossip.core.GossipSettings;
import dev.gossip.core.Input;
import dev.gossip.core.NodeId;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.heartbeat.HeardFrom;
import dev.gossip.core.heartbeat.Heartbeat;
import dev.gossip.core.heartbeat.HeartbeatTick;
import dev.gossip.pekko.internal.NodeMetrics;
import dev.gossip.pekko.internal.link.InboundGate;
import dev.gossip.pekko.internal.wire.Codec;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The heartbeat role of a node: a Ping per active link every interval and the RTT from the Pongs; a
 * link silent past the failure timeout is reported failed. Each link's last read stands for the
 * data frames, which are not routed here one by one: it is handed in before every tick.
 */
public final class HeartbeatActor extends AbstractBehavior<HeartbeatActor.Command> {

  /** What the heartbeat role takes: the commands every role takes, nothing more. */
  public sealed interface Command permits RoleCommand {}

  private final RoleDriver driver;

  public static Behavior<Command> create(
      NodeId self, GossipSettings settings, Codec codec, NodeMetrics metrics, InboundGate gate) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  Heartbeat heartbeat = new Heartbeat(settings.heartbeat());
                  return new HeartbeatActor(
                      context,
                      new RoleDriver(
                          context, timers, heartbeat, () -> {}, self, codec, metrics, gate));
                }));
  }

  private HeartbeatActor(ActorContext<Command> context, RoleDriver driver) {
    super(context);
    this.driver = driver;
  }

  // The handlers are Pekko's serializable functions, never serialized.
  @SuppressWarnings("serial")
  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(
            RoleCommand.TimerFired.class,
            t -> t.timer() == HeartbeatTick.INSTANCE,
            t -> {
              driver.on(new RoleCommand.HandleAll(lastReadThenTick()));
              return Behaviors.same();
            })
        .onMessage(
            RoleCommand.class,
            c -> {
              driver.on(c);
              return Behaviors.same();
            })
        .build();
  }

  /** Each link's last read as a sign of life, then the tick that judges them. */
  private List<Input> lastReadThenTick() {
    List<Input> inputs = new ArrayList<>();
    driver.wiring().registry().forEachLastRead((peer, at) -> inputs.add(new HeardFrom(peer, at)));
    inputs.add(new TimerExpired(HeartbeatTick.INSTANCE));
    return inputs;
  }
}
