package dev.gossip.core.dissemination;

import dev.gossip.core.Input;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import java.util.Objects;

/**
 * Recovery's report, at a delivery, of the shortest announcement it had pending for that message:
 * {@code announcer} offered it at {@code round}, fewer hops than the delivery took. Dissemination
 * applies the tree optimisation if the difference reaches the threshold.
 */
public record EarlierAnnouncement(MessageId id, NodeId announcer, int round)
    implements Input, Output {
  public EarlierAnnouncement {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(announcer, "announcer");
  }
}
