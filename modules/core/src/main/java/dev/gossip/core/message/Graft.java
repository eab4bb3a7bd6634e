package dev.gossip.core.message;

import dev.gossip.core.MessageId;
import java.util.List;

/**
 * Move the link to the eager set and resend the listed messages. An empty list only repairs the
 * tree (the optimisation's graft).
 */
public record Graft(List<MessageId> ids) implements PlumtreeMessage {
  public Graft {
    ids = List.copyOf(ids);
  }
}
