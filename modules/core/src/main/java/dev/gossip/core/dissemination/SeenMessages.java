package dev.gossip.core.dissemination;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Ids of delivered messages, bounded by count and age (oldest forgotten first), each with the
 * neighbour and round of its eager delivery so a shorter lazy path can be recognised.
 */
final class SeenMessages {

  /**
   * How a message reached this node; updated when the tree is rewired to a shorter path. {@code
   * sender} is null when the message did not arrive by eager push (an anti-entropy resend).
   */
  static final class Delivery {
    final long at;
    NodeId sender;
    int round;

    /** Delivered as the answer to a fetch (a Graft that left the tree as it was). */
    boolean fetched;

    Delivery(long at, NodeId sender, int round) {
      this.at = at;
      this.sender = sender;
      this.round = round;
    }
  }

  private final int capacity;
  private final long retentionNanos;
  private final LinkedHashMap<MessageId, Delivery> deliveries = new LinkedHashMap<>();

  SeenMessages(int capacity, long retentionNanos) {
    this.capacity = capacity;
    this.retentionNanos = retentionNanos;
  }

  Delivery get(MessageId id) {
    return deliveries.get(id);
  }

  boolean contains(MessageId id) {
    return deliveries.containsKey(id);
  }

  Delivery add(MessageId id, NodeId sender, int round, long now) {
    Iterator<Delivery> oldest = deliveries.values().iterator();
    while (oldest.hasNext()) {
      Delivery d = oldest.next();
      if (deliveries.size() < capacity && now - d.at < retentionNanos) {
        break;
      }
      oldest.remove();
    }
    Delivery delivery = new Delivery(now, sender, round);
    deliveries.put(id, delivery);
    return delivery;
  }

  int size() {
    return deliveries.size();
  }
}
