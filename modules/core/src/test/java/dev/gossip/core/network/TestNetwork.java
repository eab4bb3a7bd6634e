package dev.gossip.core.network;

import dev.gossip.core.Close;
import dev.gossip.core.Composition;
import dev.gossip.core.Connect;
import dev.gossip.core.DownReason;
import dev.gossip.core.GossipSettings;
import dev.gossip.core.Input;
import dev.gossip.core.LinkFailed;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import dev.gossip.core.ProtocolNode;
import dev.gossip.core.Received;
import dev.gossip.core.Schedule;
import dev.gossip.core.Send;
import dev.gossip.core.Start;
import dev.gossip.core.Timer;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.membership.JoinOverlay;
import dev.gossip.core.message.Gossip;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A small deterministic network of {@link ProtocolNode}s for tests: one seeded event queue ordered
 * by (virtual time, sequence), a latency of 1-3 ms per message, timers with the replace-on-
 * reschedule semantics of the runtime, crashes (links reset at once) and partitions (traffic across
 * silently lost on open links, new connections refused). Not the simulator: just enough to check
 * that the composed roles deliver, with the roles composed synchronously or in mailboxes as the
 * runtime's actors are.
 */
final class TestNetwork {

  /** How each node composes its roles (see {@link Composition}). */
  enum Mode {
    SYNCHRONOUS,
    MAILBOXES
  }

  private record Event(long time, long sequence, NodeId target, Input input, long generation)
      implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int byTime = Long.compare(time, o.time);
      return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
    }
  }

  private record TimerKey(NodeId node, Timer timer) {}

  private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

  private final GossipSettings settings;
  private final Mode mode;
  private final SplittableRandom random;
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final Map<NodeId, ProtocolNode> nodes = new LinkedHashMap<>();
  private final Set<NodeId> crashed = new HashSet<>();

  /** Partition side of each cut-off node; nodes absent are on side 0. */
  private final Map<NodeId, Integer> side = new HashMap<>();

  private final Map<NodeId, Set<NodeId>> links = new HashMap<>();
  private final Map<TimerKey, Long> timerGenerations = new HashMap<>();
  private final Map<NodeId, Map<MessageId, Integer>> deliveries = new HashMap<>();
  private final Map<MessageId, Integer> gossipReceived = new HashMap<>();
  private final List<String> trace = new ArrayList<>();
  private long now;
  private long sequence;

  TestNetwork(GossipSettings settings, long seed, Mode mode) {
    this.settings = settings;
    this.mode = mode;
    this.random = new SplittableRandom(seed);
  }

  long now() {
    return now;
  }

  NodeId addNode(int i, List<NodeId> contacts) {
    NodeId id = new NodeId("10.0." + (i / 250) + "." + (i % 250 + 1), 7000, 1);
    Composition composition =
        mode == Mode.MAILBOXES ? Composition.mailboxes(random.split()) : Composition.synchronous();
    ProtocolNode node = new ProtocolNode(id, settings, random.split(), composition);
    nodes.put(id, node);
    links.put(id, new LinkedHashSet<>());
    deliveries.put(id, new LinkedHashMap<>());
    input(id, Start.INSTANCE);
    input(id, new JoinOverlay(contacts));
    return id;
  }

  ProtocolNode node(NodeId id) {
    return nodes.get(id);
  }

  List<NodeId> live() {
    return nodes.keySet().stream().filter(id -> !crashed.contains(id)).toList();
  }

  MessageId broadcast(NodeId from, byte[] payload) {
    return nodes.get(from).broadcast(payload, now, o -> output(from, o));
  }

  /** Stops a node at once; its peers see their links reset. */
  void crash(NodeId id) {
    crashed.add(id);
    for (NodeId peer : links.get(id)) {
      if (links.get(peer).contains(id)) {
        deliver(peer, new LinkFailed(id, DownReason.CONNECTION_LOST), latency());
      }
    }
  }

  /** Cuts these nodes off from the others: open links go silent, new connections fail. */
  void partition(Collection<NodeId> group) {
    int next = side.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    for (NodeId id : group) {
      side.put(id, next);
    }
  }

  void heal() {
    side.clear();
  }

  /** The overlay's connected components, over the active views. */
  List<Set<NodeId>> components() {
    List<Set<NodeId>> components = new ArrayList<>();
    Set<NodeId> placed = new HashSet<>();
    for (NodeId start : live()) {
      if (placed.add(start)) {
        Set<NodeId> component = new LinkedHashSet<>(List.of(start));
        ArrayDeque<NodeId> frontier = new ArrayDeque<>(component);
        while (!frontier.isEmpty()) {
          for (NodeId peer : nodes.get(frontier.poll()).membership().activeView()) {
            if (!crashed.contains(peer) && placed.add(peer)) {
              component.add(peer);
              frontier.add(peer);
            }
          }
        }
        components.add(component);
      }
    }
    return components;
  }

  /** Processes events until virtual time reaches {@code until} (nanoseconds). */
  void runUntil(long until) {
    while (!queue.isEmpty() && queue.peek().time() <= until) {
      Event e = queue.poll();
      now = e.time();
      if (crashed.contains(e.target())) {
        continue;
      }
      if (e.input() instanceof TimerExpired t) {
        Long current = timerGenerations.get(new TimerKey(e.target(), t.timer()));
        if (current == null || current != e.generation()) {
          continue;
        }
      }
      input(e.target(), e.input());
    }
    now = Math.max(now, until);
  }

  void runFor(long nanos) {
    runUntil(now + nanos);
  }

  /** How many times each node delivered {@code id}. */
  Map<NodeId, Integer> deliveryCounts(MessageId id) {
    Map<NodeId, Integer> counts = new LinkedHashMap<>();
    deliveries.forEach((node, delivered) -> counts.put(node, delivered.getOrDefault(id, 0)));
    return counts;
  }

  /** Gossip (eager) receipts of a message over the whole network. */
  int gossipReceived(MessageId id) {
    return gossipReceived.getOrDefault(id, 0);
  }

  /** Every delivery, in order, as text: equal traces mean an identical run. */
  List<String> trace() {
    return trace;
  }

  private void input(NodeId target, Input input) {
    nodes.get(target).handle(input, now, o -> output(target, o));
  }

  private void output(NodeId from, Output output) {
    if (output instanceof Send s) {
      send(from, s);
    } else if (output instanceof Schedule s) {
      TimerKey key = new TimerKey(from, s.timer());
      long generation = timerGenerations.merge(key, 1L, Long::sum);
      queue.add(
          new Event(
              now + s.delay().toNanos(),
              sequence++,
              from,
              new TimerExpired(s.timer()),
              generation));
    } else if (output instanceof Connect c) {
      links.get(from).add(c.peer());
    } else if (output instanceof Close c) {
      links.get(from).remove(c.peer());
    } else if (output instanceof Delivered d) {
      deliveries.get(from).merge(d.id(), 1, Integer::sum);
      trace.add(now + " " + from + " " + d.id() + " " + d.hops());
    }
  }

  private void send(NodeId from, Send s) {
    NodeId to = resolve(s.to());
    boolean linked = links.get(from).contains(s.to());
    if (to == null || crashed.contains(to) || !side(from).equals(side(to))) {
      if (!linked) {
        // A connection that cannot be opened is reported; an open one just goes silent.
        deliver(from, new LinkFailed(s.to(), DownReason.CONNECTION_LOST), 100 * MILLI);
      }
      return;
    }
    if (s.message() instanceof Gossip g) {
      gossipReceived.merge(g.id(), 1, Integer::sum);
    }
    deliver(to, new Received(from, s.message()), latency());
  }

  private Integer side(NodeId id) {
    return side.getOrDefault(id, 0);
  }

  private NodeId resolve(NodeId to) {
    if (!to.isContact()) {
      return nodes.containsKey(to) ? to : null;
    }
    for (NodeId id : nodes.keySet()) {
      if (id.sameAddress(to)) {
        return id;
      }
    }
    return null;
  }

  private void deliver(NodeId to, Input input, long delay) {
    queue.add(new Event(now + delay, sequence++, to, input, 0));
  }

  private long latency() {
    return MILLI + random.nextLong(2 * MILLI);
  }
}
