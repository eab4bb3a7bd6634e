package dev.gossip.core.message;

import dev.gossip.core.MessageId;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message resent by anti-entropy. Unlike {@link Gossip} it is announced, not pushed, by the
 * receiver, so catching up never turns into duplicates that would prune the tree.
 */
public record Recovered(MessageId id, int round, byte[] payload) implements PlumtreeMessage {
  public Recovered {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(payload, "payload");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Recovered r
        && round == r.round
        && id.equals(r.id)
        && Arrays.equals(payload, r.payload);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * id.hashCode() + round) + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Recovered[id=" + id + ", round=" + round + ", payload=" + payload.length + " bytes]";
  }
}
