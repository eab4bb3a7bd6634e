package dev.gossip.pekko.internal;

import dev.gossip.core.MessageId;
import java.util.Objects;

/**
 * The CBOR part of a Gossip or Recovered frame; the user's payload bytes follow it raw, so they are
 * never re-encoded.
 */
public record PayloadHeader(MessageId id, int round) implements WireRecord {
  public PayloadHeader {
    Objects.requireNonNull(id, "id");
  }
}
