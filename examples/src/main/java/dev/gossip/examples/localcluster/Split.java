package dev.gossip.examples.localcluster;

import dev.gossip.core.NodeId;
import dev.gossip.pekko.LinkFaults;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's network split: one {@link LinkFaults} stage shared by every node of the cluster. Each
 * node is placed on side 0 or 1 once it listens; while the split is on, frames between the sides
 * are dropped where they leave and where they arrive (links open at the cut go silent at once) and
 * new connections across it are refused. Healing lifts the cut; the nodes find each other again on
 * their own. All nodes listen on one host, so a port names a node.
 */
final class Split implements LinkFaults {

  private final Map<Integer, Integer> sideOfPort = new ConcurrentHashMap<>();
  private volatile boolean on;

  /** Puts the node listening on {@code port} on side 0 or 1. */
  void place(int port, int side) {
    sideOfPort.put(port, side);
  }

  /** Cuts every link between the two sides, in both directions. */
  void cut() {
    on = true;
  }

  void heal() {
    on = false;
  }

  boolean isOn() {
    return on;
  }

  /** Whether the split separates the two nodes now; nodes not placed are on no side. */
  private boolean apart(NodeId a, NodeId b) {
    if (!on) {
      return false;
    }
    Integer sideA = sideOfPort.get(a.port());
    Integer sideB = sideOfPort.get(b.port());
    return sideA != null && sideB != null && !sideA.equals(sideB);
  }

  @Override
  public long outbound(NodeId self, NodeId peer) {
    return apart(self, peer) ? DROP : PASS;
  }

  @Override
  public boolean inbound(NodeId self, NodeId peer) {
    return !apart(self, peer);
  }

  @Override
  public boolean canConnect(NodeId self, NodeId peer) {
    return !apart(self, peer);
  }
}
