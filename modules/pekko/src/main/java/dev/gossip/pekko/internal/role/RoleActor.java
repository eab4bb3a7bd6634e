package dev.gossip.pekko.internal.role;

import dev.gossip.core.Role;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.ReceiveBuilder;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * What the four role actors share: a {@link RoleDriver} for their core state machine, timers keyed
 * by the core's timer values, and the commands every role takes ({@link RoleCommand}), handled
 * after the role's own.
 *
 * @param <C> the role's sealed command type, which {@link RoleCommand} extends
 */
abstract class RoleActor<C> extends AbstractBehavior<C> {

  final RoleDriver driver;

  // RoleCommand extends every role's command type: a TimerFired is a C.
  @SuppressWarnings("unchecked")
  RoleActor(
      ActorContext<C> context, TimerScheduler<C> timers, Role.StateMachine machine, RoleNode node) {
    super(context);
    // Lines are logged by the driver: named after the role's actor, not the driver.
    context.setLoggerName(getClass());
    this.driver =
        new RoleDriver(
            context,
            (timer, delay) ->
                timers.startSingleTimer(timer, (C) new RoleCommand.TimerFired(timer), delay),
            machine,
            this::afterCommand,
            node);
  }

  /** Runs after every command, for the role's gauges; nothing by default. */
  void afterCommand() {}

  /** The role's own commands, matched before the common ones; none by default. */
  ReceiveBuilder<C> ownCommands(ReceiveBuilder<C> builder) {
    return builder;
  }

  // RoleCommand extends every role's command type, so its class is a Class<C>. The handlers are
  // Pekko's serializable function types, never serialized.
  @SuppressWarnings({"unchecked", "serial"})
  @Override
  public final Receive<C> createReceive() {
    Class<C> common = (Class<C>) (Class<?>) RoleCommand.class;
    return ownCommands(newReceiveBuilder())
        .onMessage(
            common,
            c -> {
              driver.on((RoleCommand) c);
              return Behaviors.same();
            })
        .build();
  }
}
