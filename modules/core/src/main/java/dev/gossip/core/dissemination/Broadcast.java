package dev.gossip.core.dissemination;

import dev.gossip.core.Input;
import java.util.Objects;

/** Command: broadcast these bytes to every node; the payload is shared, never copied. */
public record Broadcast(byte[] payload) implements Input {
  public Broadcast {
    Objects.requireNonNull(payload, "payload");
  }
}
