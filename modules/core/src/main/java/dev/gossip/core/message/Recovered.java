package dev.gossip.core.message;

import dev.gossip.core.MessageId;
import java.util.Objects;

/**
 * A message resent by anti-entropy. Unlike a plain {@link Gossip} it is announced, not pushed, by
 * the receiver, so catching up never turns into duplicates that would prune the tree.
 */
public record Recovered(Gossip gossip) implements PlumtreeMessage {
  public Recovered {
    Objects.requireNonNull(gossip, "gossip");
  }

  public Recovered(MessageId id, int round, byte[] payload) {
    this(new Gossip(id, round, payload));
  }

  public MessageId id() {
    return gossip.id();
  }

  public int round() {
    return gossip.round();
  }

  public byte[] payload() {
    return gossip.payload();
  }
}
