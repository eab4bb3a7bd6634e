package dev.gossip.core.message;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import java.util.List;
import java.util.Objects;

/**
 * Push {@code origin}'s messages over this link again (it rejoins the origin's tree) and resend the
 * listed messages, all of that origin. An empty list only repairs the tree (the optimisation's
 * graft).
 */
public record Graft(NodeId origin, List<MessageId> ids) implements PlumtreeMessage {
  public Graft {
    Objects.requireNonNull(origin, "origin");
    ids = List.copyOf(ids);
    for (MessageId id : ids) {
      if (!id.origin().equals(origin)) {
        throw new IllegalArgumentException(id + " is not a message of " + origin);
      }
    }
  }

  /** Rejoins {@code id}'s origin's tree and resends {@code id}. */
  public static Graft of(MessageId id) {
    return new Graft(id.origin(), List.of(id));
  }
}
