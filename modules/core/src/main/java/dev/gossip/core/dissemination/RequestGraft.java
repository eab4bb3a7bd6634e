package dev.gossip.core.dissemination;

import dev.gossip.core.Input;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import java.util.Objects;

/**
 * Recovery's decision that a message is missing: graft the link to {@code announcer} (move it to
 * the eager set and ask it for the message).
 */
public record RequestGraft(MessageId id, NodeId announcer) implements Input, Output {
  public RequestGraft {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(announcer, "announcer");
  }
}
