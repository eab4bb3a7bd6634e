package dev.gossip.sim.metrics;

import dev.gossip.core.MessageId;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Graft;
import dev.gossip.core.message.Message;
import dev.gossip.core.message.Prune;
import dev.gossip.core.message.Recovered;
import dev.gossip.sim.engine.Simulation;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;

/**
 * Per-delivery figures of many concurrent broadcasts: the latency of every delivery away from the
 * origin, the payload messages and the grafts each cost, and which deliveries came through a graft.
 * Only broadcasts sent while {@link #measuring} is on count, so a run can warm up first.
 *
 * <p>A delivery came through a graft when its sender had received a Graft for that message from
 * anyone before: a node announces only what it delivered, so its eager pushes of a message leave at
 * its delivery and arrive one latency later, while a Graft needs the announcement, a graft timeout
 * and a latency first.
 */
public final class DeliveryLog implements Simulation.Observer {

  private final Simulation sim;
  private final HashMap<MessageId, long[]> sent = new HashMap<>();
  private final HashSet<Long> grafted = new HashSet<>();
  private final HashMap<MessageId, Integer> index = new HashMap<>();
  private boolean measuring;
  private long[] latencies = new long[1 << 16];
  private int deliveries;
  private int throughGraft;
  private long payloads;
  private long graftRequests;
  private long prunes;

  public DeliveryLog(Simulation sim) {
    this.sim = sim;
  }

  /** Counts the broadcasts sent from now on (true) or none sent from now on (false). */
  public void measuring(boolean on) {
    measuring = on;
  }

  @Override
  public void delivered(int node, Delivered delivery, long now) {
    MessageId id = delivery.id();
    if (delivery.hops() == 0) {
      // The origin delivers its own broadcast first, at hop 0: [sent at, largest hop so far].
      if (measuring) {
        sent.put(id, new long[] {now, 0});
        index.put(id, index.size());
      }
      return;
    }
    long[] s = sent.get(id);
    if (s == null) {
      return;
    }
    if (deliveries == latencies.length) {
      latencies = Arrays.copyOf(latencies, 2 * deliveries);
    }
    latencies[deliveries++] = now - s[0];
    s[1] = Math.max(s[1], delivery.hops());
    int from = sim.resolve(delivery.from());
    if (from >= 0 && grafted.contains(key(from, index.get(id)))) {
      throughGraft++;
    }
  }

  @Override
  public void received(int node, Message message, long now) {
    if (message instanceof Gossip g) {
      payload(g.id());
    } else if (message instanceof Recovered r) {
      payload(r.id());
    } else if (message instanceof Prune) {
      if (measuring) {
        prunes++;
      }
    } else if (message instanceof Graft graft) {
      for (MessageId id : graft.ids()) {
        Integer i = index.get(id);
        if (i != null) {
          graftRequests++;
          grafted.add(key(node, i));
        }
      }
    }
  }

  private void payload(MessageId id) {
    if (sent.containsKey(id)) {
      payloads++;
    }
  }

  private static long key(int node, int message) {
    return ((long) message << 32) | node;
  }

  /** Broadcasts counted. */
  public int broadcasts() {
    return sent.size();
  }

  /** Deliveries of counted broadcasts away from their origin. */
  public int deliveries() {
    return deliveries;
  }

  /** The q-quantile (0..1) of the delivery latencies, in nanoseconds. */
  public long latencyQuantile(double q) {
    if (deliveries == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(latencies, deliveries);
    Arrays.sort(sorted);
    int i = (int) Math.ceil(q * deliveries) - 1;
    return sorted[Math.max(0, Math.min(deliveries - 1, i))];
  }

  /** Payload messages (Gossip, Recovered) per delivery beyond the first: RMR over all messages. */
  public double relativeMessageRedundancy() {
    return deliveries == 0 ? 0 : (double) payloads / deliveries - 1;
  }

  /** Message ids requested by Graft per delivery. */
  public double graftsPerDelivery() {
    return deliveries == 0 ? 0 : (double) graftRequests / deliveries;
  }

  /** Prune messages received while measuring, per delivery. */
  public double prunesPerDelivery() {
    return deliveries == 0 ? 0 : (double) prunes / deliveries;
  }

  /** Share of deliveries that answered a Graft. */
  public double throughGraft() {
    return deliveries == 0 ? 0 : (double) throughGraft / deliveries;
  }

  /** Mean over the counted broadcasts of their last delivery hop (LDH). */
  public double meanLastDeliveryHop() {
    long sum = 0;
    for (long[] s : sent.values()) {
      sum += s[1];
    }
    return sent.isEmpty() ? 0 : (double) sum / sent.size();
  }
}
