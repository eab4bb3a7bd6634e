package dev.gossip.core.membership;

import dev.gossip.core.NodeId;
import dev.gossip.core.Sampling;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Peers whose link failed or who never answered, kept for revival probes: after a partition heals,
 * a suspect that answers is proof that the other side is back. Bounded in count (oldest first) and
 * in age.
 */
final class Suspects {

  private final int capacity;
  private final long retentionNanos;
  private final LinkedHashMap<NodeId, Long> failedAt = new LinkedHashMap<>();

  Suspects(int capacity, long retentionNanos) {
    this.capacity = capacity;
    this.retentionNanos = retentionNanos;
  }

  /** Records a failure; a known suspect keeps its first failure time. */
  void add(NodeId peer, long now) {
    if (failedAt.putIfAbsent(peer, now) == null && failedAt.size() > capacity) {
      Iterator<NodeId> oldest = failedAt.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** The peer was heard from: it is alive. */
  void remove(NodeId peer) {
    failedAt.remove(peer);
  }

  /** A newer incarnation was heard at a suspect's address: the old one is gone for good. */
  void removeOlderIncarnations(NodeId newer) {
    failedAt.keySet().removeIf(p -> p.sameAddress(newer) && p.incarnation() < newer.incarnation());
  }

  void expire(long now) {
    Iterator<Map.Entry<NodeId, Long>> it = failedAt.entrySet().iterator();
    while (it.hasNext() && now - it.next().getValue() >= retentionNanos) {
      it.remove();
    }
  }

  NodeId pick(RandomGenerator random, Predicate<NodeId> allowed) {
    return Sampling.pick(failedAt.keySet(), random, allowed);
  }

  void clear() {
    failedAt.clear();
  }

  Set<NodeId> view() {
    return Collections.unmodifiableSet(failedAt.keySet());
  }
}
