package dev.gossip.core.membership;

import dev.gossip.core.NodeId;
import dev.gossip.core.Sampling;
import java.util.Collections;
import java.util.HashMap;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Peers whose link failed or who never answered, kept for revival probes: after a partition heals,
 * a suspect that answers is proof that the other side is back. Bounded in count (oldest first) and
 * in age. One suspect per address, found by address, since every message received checks its sender
 * against them.
 */
final class Suspects {

  private final int capacity;
  private final long retentionNanos;

  /** Oldest first. */
  private final AddressSet peers = new AddressSet();

  private final HashMap<NodeId, Long> failedAt = new HashMap<>();

  Suspects(int capacity, long retentionNanos) {
    this.capacity = capacity;
    this.retentionNanos = retentionNanos;
  }

  /**
   * Records a failure; a known suspect keeps its first failure time, a newer incarnation replaces
   * an older one at its address, an older one is ignored.
   */
  void add(NodeId peer, long now) {
    NodeId known = peers.atAddress(peer);
    if (known != null) {
      if (known.incarnation() >= peer.incarnation()) {
        return;
      }
      failedAt.remove(known);
    }
    peers.add(peer);
    failedAt.put(peer, now);
    if (peers.size() > capacity) {
      forget(peers.iterator().next());
    }
  }

  /**
   * A message from the peer: it is alive, and an older incarnation suspected at its address is gone
   * for good.
   */
  void heardFrom(NodeId peer) {
    NodeId known = peers.atAddress(peer);
    if (known != null && known.incarnation() <= peer.incarnation()) {
      forget(known);
    }
  }

  void expire(long now) {
    while (!peers.isEmpty()) {
      NodeId oldest = peers.iterator().next();
      if (now - failedAt.get(oldest) < retentionNanos) {
        return;
      }
      forget(oldest);
    }
  }

  NodeId pick(RandomGenerator random, Predicate<NodeId> allowed) {
    return Sampling.pick(peers, random, allowed);
  }

  void clear() {
    peers.clear();
    failedAt.clear();
  }

  /** The suspects, oldest first. */
  Set<NodeId> view() {
    return Collections.unmodifiableSet(peers);
  }

  private void forget(NodeId peer) {
    peers.remove(peer);
    failedAt.remove(peer);
  }
}
