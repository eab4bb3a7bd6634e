package dev.gossip.pekko.internal.role;

import dev.gossip.core.Input;
import dev.gossip.core.NodeId;
import dev.gossip.core.Timer;
import dev.gossip.core.message.Message;
import dev.gossip.pekko.internal.Wiring;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What every role actor takes: its wiring, peer messages from a link, inputs from the node, the
 * link manager or another role, and its own timers. Each role's command type extends it; only the
 * dissemination role's adds commands of its own ({@link DisseminationActor.Broadcast} and what
 * confirmations need).
 */
public sealed interface RoleCommand
    extends MembershipActor.Command,
        DisseminationActor.Command,
        RecoveryActor.Command,
        HeartbeatActor.Command
    permits RoleCommand.Wire,
        RoleCommand.Frames,
        RoleCommand.Handle,
        RoleCommand.HandleAll,
        RoleCommand.TimerFired,
        RoleCommand.Relay {

  /** Sent by the node once every role is up: where outputs go. */
  record Wire(Wiring wiring) implements RoleCommand {}

  /** Peer messages from one socket read of one link, all for this role. */
  record Frames(NodeId from, List<Message> messages) implements RoleCommand {}

  /** One input from the node, the link manager or another role. */
  record Handle(Input input) implements RoleCommand {}

  /** The events another role emitted for this one while handling one command, in order. */
  record HandleAll(List<Input> inputs) implements RoleCommand {}

  /** One of this role's timers is due. */
  record TimerFired(Timer timer) implements RoleCommand {}

  /**
   * Tell {@code message} to {@code target} once the commands before this one are handled: it
   * arrives after every message those commands made this role send to {@code target}.
   */
  record Relay<T>(ActorRef<T> target, T message) implements RoleCommand {}
}
