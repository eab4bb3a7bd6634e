package dev.gossip.core.message;

import dev.gossip.core.NodeId;
import java.util.Objects;

/** The random walk that spreads a joiner into active and passive views; {@code ttl} counts down. */
public record ForwardJoin(NodeId joiner, int ttl) implements MembershipMessage {
  public ForwardJoin {
    Objects.requireNonNull(joiner, "joiner");
  }
}
