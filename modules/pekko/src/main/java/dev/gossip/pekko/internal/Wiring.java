package dev.gossip.pekko.internal;

import dev.gossip.core.Input;
import dev.gossip.core.Output;
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
    ActorRef<Output> user) {}
