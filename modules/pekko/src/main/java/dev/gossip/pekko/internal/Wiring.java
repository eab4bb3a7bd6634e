package dev.gossip.pekko.internal;

import dev.gossip.core.Input;
import dev.gossip.core.Output;
import dev.gossip.core.Role;
import dev.gossip.core.Routing;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * How a node's actors reach each other: each role's input adapter (a {@code messageAdapter} the
 * role created, turning core inputs into its own commands), the link manager, and the node's
 * adapter for events meant for the user.
 */
public record Wiring(
    ActorRef<Input> membership,
    ActorRef<Input> dissemination,
    ActorRef<Input> recovery,
    ActorRef<Input> heartbeat,
    ActorRef<LinkManager.Command> links,
    ActorRef<Output> user) {

  public ActorRef<Input> role(Role role) {
    return switch (role) {
      case MEMBERSHIP -> membership;
      case DISSEMINATION -> dissemination;
      case RECOVERY -> recovery;
      case HEARTBEAT -> heartbeat;
    };
  }

  /** Hands an input to the roles that handle it, by the core's {@link Routing} table. */
  public void route(Input input) {
    for (Role role : Routing.handlers(input)) {
      role(role).tell(input);
    }
  }
}
