package dev.gossip.pekko.internal;

import dev.gossip.core.Input;
import dev.gossip.core.Output;
import dev.gossip.core.Role;
import dev.gossip.core.Routing;
import dev.gossip.pekko.internal.link.LinkManager;
import dev.gossip.pekko.internal.link.LinkRegistry;
import dev.gossip.pekko.internal.role.RoleCommand;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * How a node's parts reach each other: the role actors (by {@link Role} ordinal), the link manager
 * (connection lifecycle), the registry of live links (frames out, no actor in between), the
 * subscribers (deliveries out, no actor in between), and the node actor for the membership events
 * it keeps track of.
 */
public record Wiring(
    List<ActorRef<RoleCommand>> roles,
    ActorRef<LinkManager.Command> links,
    LinkRegistry registry,
    Subscribers subscribers,
    ActorRef<Output> user) {

  public Wiring {
    roles = List.copyOf(roles);
  }

  public ActorRef<RoleCommand> role(Role role) {
    return roles.get(role.ordinal());
  }

  /** Hands an input to the roles that handle it, by the core's {@link Routing} table. */
  public void route(Input input) {
    for (Role role : Routing.handlers(input)) {
      role(role).tell(new RoleCommand.Handle(input));
    }
  }
}
