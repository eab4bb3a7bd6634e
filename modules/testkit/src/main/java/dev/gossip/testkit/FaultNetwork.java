package dev.gossip.testkit;

import dev.gossip.core.NodeId;
import dev.gossip.pekko.LinkFaults;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The faults of one test cluster's network, by directed link between node addresses: blocked links
 * (partitions, blackholes), a fraction of frames dropped, and a delay with jitter. One instance is
 * installed in every node of the cluster, so each frame is judged where it leaves (drop, delay) and
 * again where it arrives (blocked links, for frames already under way when a partition began).
 * Thread-safe; with no fault set, a frame costs one volatile read.
 */
final class FaultNetwork implements LinkFaults {

  /** A directed link between two addresses "host:port". */
  private record Link(String from, String to) {}

  private record Delay(long nanos, long jitterNanos) {}

  private final Set<Link> blocked = ConcurrentHashMap.newKeySet();
  private final Map<Link, Double> dropRates = new ConcurrentHashMap<>();
  private final Map<Link, Delay> delays = new ConcurrentHashMap<>();
  private volatile double dropAll;
  private volatile Delay delayAll;
  private volatile boolean any;
  private final LongAdder dropped = new LongAdder();

  private static String address(NodeId node) {
    return node.host() + ":" + node.port();
  }

  private static Link link(NodeId from, NodeId to) {
    return new Link(address(from), address(to));
  }

  @Override
  public long outbound(NodeId self, NodeId peer) {
    if (!any) {
      return PASS;
    }
    Link link = link(self, peer);
    if (blocked.contains(link)) {
      dropped.increment();
      return DROP;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    double rate = dropRates.getOrDefault(link, dropAll);
    if (rate > 0 && random.nextDouble() < rate) {
      dropped.increment();
      return DROP;
    }
    Delay delay = delays.getOrDefault(link, delayAll);
    if (delay == null) {
      return PASS;
    }
    long jitter = delay.jitterNanos() > 0 ? random.nextLong(delay.jitterNanos() + 1) : 0;
    return Math.max(PASS, delay.nanos() + jitter);
  }

  @Override
  public boolean inbound(NodeId self, NodeId peer) {
    if (any && blocked.contains(link(peer, self))) {
      dropped.increment();
      return false;
    }
    return true;
  }

  /** Frames dropped so far, by loss or by a cut link. */
  long dropped() {
    return dropped.sum();
  }

  @Override
  public boolean canConnect(NodeId self, NodeId peer) {
    return !any || !(blocked.contains(link(self, peer)) || blocked.contains(link(peer, self)));
  }

  void block(NodeId from, NodeId to) {
    blocked.add(link(from, to));
    any = true;
  }

  void dropAll(double fraction) {
    dropAll = fraction;
    any = true;
  }

  void drop(NodeId from, NodeId to, double fraction) {
    dropRates.put(link(from, to), fraction);
    any = true;
  }

  void delayAll(long nanos, long jitterNanos) {
    delayAll = new Delay(nanos, jitterNanos);
    any = true;
  }

  void delay(NodeId from, NodeId to, long nanos, long jitterNanos) {
    delays.put(link(from, to), new Delay(nanos, jitterNanos));
    any = true;
  }

  /** Unblocks every link; loss and delay stay. */
  void heal() {
    blocked.clear();
  }

  /** Removes every fault. */
  void clear() {
    blocked.clear();
    dropRates.clear();
    delays.clear();
    dropAll = 0;
    delayAll = null;
    any = false;
  }
}
