package dev.gossip.sim.metrics;

import dev.gossip.core.MessageId;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Message;
import dev.gossip.core.message.Recovered;
import dev.gossip.sim.engine.Simulation;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;

/**
 * Follows every broadcast of a run: who delivered it, at which hop and when, and how many payload
 * messages (Gossip, and anti-entropy's Recovered) it cost. The Plumtree paper's metrics come from
 * here: reliability, relative message redundancy (RMR) and last delivery hop (LDH).
 */
public final class BroadcastLog implements Simulation.Observer {

  /** One broadcast. */
  public static final class Broadcast {
    final MessageId id;
    final int origin;
    final long sentAt;
    final BitSet delivered = new BitSet();
    int deliveredCount;
    int maxHops;
    long lastDeliveryAt;
    long payloadMessages;
    long duplicateDeliveries;

    Broadcast(MessageId id, int origin, long sentAt) {
      this.id = id;
      this.origin = origin;
      this.sentAt = sentAt;
      this.lastDeliveryAt = sentAt;
    }

    public MessageId id() {
      return id;
    }

    public long sentAt() {
      return sentAt;
    }

    public int deliveredCount() {
      return deliveredCount;
    }

    public boolean deliveredAt(int node) {
      return delivered.get(node);
    }

    /** LDH: the largest hop count of any delivery. */
    public int lastDeliveryHop() {
      return maxHops;
    }

    /** Payload messages received for this broadcast, duplicates included. */
    public long payloadMessages() {
      return payloadMessages;
    }

    /** Deliveries of a message a node had already delivered: must stay 0. */
    public long duplicateDeliveries() {
      return duplicateDeliveries;
    }

    /** Time from the broadcast to its last delivery, in nanoseconds. */
    public long timeToLastDelivery() {
      return lastDeliveryAt - sentAt;
    }

    /**
     * RMR, m / (n - 1) - 1 with m the payload messages and n the nodes that delivered (Plumtree
     * paper, section 4.1): 0 when every node got the payload exactly once.
     */
    public double relativeMessageRedundancy() {
      return deliveredCount <= 1 ? 0 : (double) payloadMessages / (deliveredCount - 1) - 1;
    }
  }

  private final HashMap<MessageId, Broadcast> byId = new HashMap<>();
  private final List<Broadcast> broadcasts = new ArrayList<>();

  public List<Broadcast> broadcasts() {
    return broadcasts;
  }

  public Broadcast last() {
    return broadcasts.get(broadcasts.size() - 1);
  }

  @Override
  public void delivered(int node, Delivered delivery, long now) {
    Broadcast b = byId.get(delivery.id());
    if (b == null) {
      if (delivery.hops() != 0) {
        return;
      }
      // The origin delivers its own broadcast first, at hop 0.
      b = new Broadcast(delivery.id(), node, now);
      byId.put(delivery.id(), b);
      broadcasts.add(b);
    }
    if (b.delivered.get(node)) {
      b.duplicateDeliveries++;
      return;
    }
    b.delivered.set(node);
    b.deliveredCount++;
    b.maxHops = Math.max(b.maxHops, delivery.hops());
    b.lastDeliveryAt = now;
  }

  @Override
  public void received(int node, Message message, long now) {
    MessageId id;
    if (message instanceof Gossip g) {
      id = g.id();
    } else if (message instanceof Recovered r) {
      id = r.id();
    } else {
      return;
    }
    Broadcast b = byId.get(id);
    if (b != null) {
      b.payloadMessages++;
    }
  }

  /**
   * Reliability: the share of nodes that were in the overlay when the message was sent (had a
   * neighbour by then) and are still live now that delivered it.
   */
  public static double reliability(Broadcast b, Simulation sim) {
    int expected = 0;
    int got = 0;
    for (int i = 0; i < sim.nodeCount(); i++) {
      if (!sim.isCrashed(i) && (sim.firstUpAt(i) <= b.sentAt || i == b.origin)) {
        expected++;
        if (b.delivered.get(i)) {
          got++;
        }
      }
    }
    return expected == 0 ? 1 : (double) got / expected;
  }
}
