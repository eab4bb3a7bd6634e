package dev.gossip.core.message;

import dev.gossip.core.MessageId;
import java.util.Objects;

/** One entry of an {@link IHave}: a message id and the round it would arrive with by this link. */
public record Announcement(MessageId id, int round) {
  public Announcement {
    Objects.requireNonNull(id, "id");
  }
}
