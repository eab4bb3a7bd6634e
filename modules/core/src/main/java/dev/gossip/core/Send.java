package dev.gossip.core;

import dev.gossip.core.message.Message;
import java.util.Objects;

/**
 * Send a message to a peer. Peers in the active view have a link; for any other peer (a passive
 * member, a Join contact, a shuffle origin) the driver may use a short-lived connection.
 */
public record Send(NodeId to, Message message) implements Output {
  public Send {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(message, "message");
  }
}
