package dev.gossip.testkit;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The awaits of a cluster over its members' reports: bounded, re-checked whenever a node reports an
 * event, and on timeout failing with what is missing where.
 */
final class Awaits<N extends Member> {

  private final Signal signal;
  private final Function<NodeId, N> byId;

  Awaits(Signal signal, Function<NodeId, N> byId) {
    this.signal = signal;
    this.byId = byId;
  }

  void delivered(Collection<MessageId> ids, Collection<N> receivers, Duration timeout) {
    List<MessageId> wanted = List.copyOf(ids);
    List<N> who = List.copyOf(receivers);
    signal.await(
        "delivery of " + wanted.size() + " messages at " + who.size() + " nodes",
        timeout,
        () -> {
          StringBuilder missing = new StringBuilder();
          for (N node : who) {
            List<MessageId> lacks = wanted.stream().filter(id -> !node.hasDelivered(id)).toList();
            if (!lacks.isEmpty()) {
              missing
                  .append("\n  ")
                  .append(node)
                  .append(" misses ")
                  .append(lacks.size())
                  .append(" of ")
                  .append(wanted.size())
                  .append(": ")
                  .append(lacks.stream().limit(5).toList())
                  .append(lacks.size() > 5 ? " ..." : "");
            }
          }
          return missing.length() == 0 ? null : missing.toString();
        });
  }

  void viewsConverged(Collection<N> members, Duration timeout) {
    List<N> who = List.copyOf(members);
    signal.await(
        "the active views of " + who.size() + " nodes to converge",
        timeout,
        () -> {
          Set<N> set = new LinkedHashSet<>(who);
          StringBuilder problems = new StringBuilder();
          for (N node : who) {
            Set<NodeId> view = node.activeView();
            if (view.isEmpty()) {
              problems.append("\n  ").append(node).append(" has an empty active view");
            }
            for (NodeId peer : view) {
              N other = byId.apply(peer);
              if (other == null || !set.contains(other)) {
                problems
                    .append("\n  ")
                    .append(node)
                    .append(" holds ")
                    .append(other == null ? peer : other)
                    .append(", not a member");
              } else if (!other.activeView().contains(node.id())) {
                problems
                    .append("\n  link ")
                    .append(node.name())
                    .append(" -> ")
                    .append(other.name())
                    .append(" is not in ")
                    .append(other.name())
                    .append("'s view");
              }
            }
          }
          return problems.length() == 0 ? null : problems.toString();
        });
  }

  void connected(Collection<N> members, Duration timeout) {
    List<N> who = List.copyOf(members);
    signal.await(
        "the overlay of " + who.size() + " nodes to be connected",
        timeout,
        () -> {
          List<List<N>> components = components(who);
          if (components.size() <= 1) {
            return null;
          }
          return components.size()
              + " components: "
              + components.stream()
                  .map(c -> c.stream().map(N::name).collect(Collectors.joining(",", "[", "]")))
                  .collect(Collectors.joining(" "));
        });
  }

  /** The connected components of the members' active views, links between members only. */
  List<List<N>> components(Collection<N> members) {
    Map<N, Set<N>> adjacent = new HashMap<>();
    for (N node : members) {
      adjacent.computeIfAbsent(node, k -> new LinkedHashSet<>());
      for (NodeId peer : node.activeView()) {
        N other = byId.apply(peer);
        if (other != null && members.contains(other)) {
          adjacent.get(node).add(other);
          adjacent.computeIfAbsent(other, k -> new LinkedHashSet<>()).add(node);
        }
      }
    }
    List<List<N>> components = new ArrayList<>();
    Set<N> seen = new LinkedHashSet<>();
    for (N start : members) {
      if (!seen.add(start)) {
        continue;
      }
      List<N> component = new ArrayList<>();
      List<N> frontier = new ArrayList<>(List.of(start));
      while (!frontier.isEmpty()) {
        N node = frontier.remove(frontier.size() - 1);
        component.add(node);
        for (N next : adjacent.get(node)) {
          if (seen.add(next)) {
            frontier.add(next);
          }
        }
      }
      components.add(component);
    }
    return components;
  }

  void condition(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
    signal.await(what, timeout, () -> condition.getAsBoolean() ? null : "still false");
  }
}
