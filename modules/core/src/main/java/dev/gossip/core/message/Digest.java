package dev.gossip.core.message;

import java.util.List;

/**
 * An anti-entropy summary of the sender's history, one entry per origin. The receiver resends what
 * the sender lacks and, if {@code replyWanted}, answers with its own digest.
 */
public record Digest(List<OriginSummary> origins, boolean replyWanted) implements RecoveryMessage {
  public Digest {
    origins = List.copyOf(origins);
  }
}
