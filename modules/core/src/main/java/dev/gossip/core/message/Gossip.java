package dev.gossip.core.message;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import java.util.Arrays;
import java.util.Objects;

/**
 * An eager push of a broadcast. {@code round} is the hop count at the receiver (the origin sends
 * round 1). The payload is the user's bytes, shared and never copied or re-encoded; equality
 * compares its content. {@code ackRequested} is set only by the origin, on a broadcast it wants
 * confirmed: a neighbour that gets it straight from the origin answers with an {@link Ack}. {@code
 * template}, or null, is named by the origin in its first broadcasts and forwarded unchanged: the
 * origin whose tree the new origin's tree starts as a copy of, at every node that has none yet.
 */
public record Gossip(MessageId id, int round, byte[] payload, boolean ackRequested, NodeId template)
    implements PlumtreeMessage {
  public Gossip {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(payload, "payload");
  }

  /** A Gossip without an ack request, as every node but a confirming origin sends. */
  public Gossip(MessageId id, int round, byte[] payload) {
    this(id, round, payload, false, null);
  }

  /** A Gossip that names no template. */
  public Gossip(MessageId id, int round, byte[] payload, boolean ackRequested) {
    this(id, round, payload, ackRequested, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Gossip g
        && round == g.round
        && ackRequested == g.ackRequested
        && id.equals(g.id)
        && Objects.equals(template, g.template)
        && Arrays.equals(payload, g.payload);
  }

  @Override
  public int hashCode() {
    return 31
            * (31 * (31 * (31 * id.hashCode() + round) + Arrays.hashCode(payload))
                + Boolean.hashCode(ackRequested))
        + Objects.hashCode(template);
  }

  @Override
  public String toString() {
    return "Gossip[id="
        + id
        + ", round="
        + round
        + ", payload="
        + payload.length
        + " bytes"
        + (ackRequested ? ", ack requested" : "")
        + (template == null ? "]" : ", template=" + template + "]");
  }
}
