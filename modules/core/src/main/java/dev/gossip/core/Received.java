package dev.gossip.core;

import dev.gossip.core.message.Message;
import java.util.Objects;

/** A message that arrived from a peer whose identity the link has established. */
public record Received(NodeId from, Message message) implements Input {
  public Received {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(message, "message");
  }
}
