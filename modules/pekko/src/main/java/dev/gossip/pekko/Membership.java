package dev.gossip.pekko;

import dev.gossip.core.NodeId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A node's view of the overlay at one moment: HyParView's active view (the neighbours its
 * broadcasts travel over, each with an open link) and passive view (the backups it replaces failed
 * neighbours from, kept fresh by shuffles). Neither is the whole membership: in a HyParView overlay
 * no node knows every other; {@link #known()} is what this node knows.
 */
public record Membership(NodeId self, List<NodeId> activeView, List<NodeId> passiveView) {

  public Membership {
    Objects.requireNonNull(self, "self");
    activeView = List.copyOf(activeView);
    passiveView = List.copyOf(passiveView);
  }

  /** The nodes this node knows of: its active view, then its passive view. */
  public Set<NodeId> known() {
    Set<NodeId> known = new LinkedHashSet<>(activeView);
    known.addAll(passiveView);
    return known;
  }
}
