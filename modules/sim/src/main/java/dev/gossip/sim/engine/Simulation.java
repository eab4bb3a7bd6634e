package dev.gossip.sim.engine;

import dev.gossip.core.Close;
import dev.gossip.core.Composition;
import dev.gossip.core.Connect;
import dev.gossip.core.DownReason;
import dev.gossip.core.GossipSettings;
import dev.gossip.core.Input;
import dev.gossip.core.LinkFailed;
import dev.gossip.core.MessageId;
import dev.gossip.core.NeighborUp;
import dev.gossip.core.NodeId;
import dev.gossip.core.Outbox;
import dev.gossip.core.Output;
import dev.gossip.core.ProtocolNode;
import dev.gossip.core.Received;
import dev.gossip.core.Schedule;
import dev.gossip.core.Send;
import dev.gossip.core.Start;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.membership.JoinOverlay;
import dev.gossip.core.message.Join;
import dev.gossip.core.message.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic discrete-event network of {@link ProtocolNode}s, the same classes the runtime
 * drives. One seeded event queue ordered by (virtual time, sequence) carries messages, timer
 * expiries and link failures; nodes are addressed by index and their protocol ids resolved by
 * address.
 *
 * <p>Link semantics follow TCP: a crashed node's open links reset (its peers get {@link LinkFailed}
 * one latency later); a message to a crashed or unknown node outside an open link is refused
 * (LinkFailed after a round trip); across a partition an open link silently loses traffic (the
 * heartbeat role notices) and a new connection times out; a frozen node loses what it is sent and
 * its timers wait until it thaws. {@link Close} is a deliberate drop and is never reported. A node
 * crashed {@linkplain #crashSilently silently} resets nothing: a peer learns of it when it next
 * sends over the link, a round trip later, as in the papers' simulations.
 *
 * <p>Optionally ({@link NetworkModel}) links jitter and retransmit lost messages, kept FIFO by a
 * {@link Wire}, and nodes take a service time per message ({@link BusyNodes}): then what a node
 * outputs takes effect when its handling ends.
 */
public final class Simulation {

  /** What the metrics see of a run; called on the simulation thread, in event order. */
  public interface Observer {
    void delivered(int node, Delivered delivery, long now);

    void received(int node, Message message, long now);
  }

  /** {@link #firstUpAt} of a node that has never had a neighbour. */
  public static final long NEVER = Long.MAX_VALUE;

  private static final byte LIVE = 0;
  private static final byte FROZEN = 1;
  private static final byte CRASHED = 2;
  private static final int PORT = 7000;

  /** Queued for a busy node with inputs in its inbox: its next handling may start. */
  private static final Object WAKE = new Object();

  private final GossipSettings settings;
  private final NetworkModel network;
  private final boolean mailboxes;
  private final SplittableRandom random;
  private final Wire wire;
  private final BusyNodes busy;
  private double loss;
  private final EventQueue queue = new EventQueue();
  private final HashMap<String, Integer> byHost = new HashMap<>();
  private final Outbox outbox = this::output;
  private Observer observer;

  private final List<ProtocolNode> nodes = new ArrayList<>();
  private NodeId[] ids = new NodeId[16];
  private byte[] status = new byte[16];
  private int[] group = new int[16];
  private IntList[] links = new IntList[16];
  private TimerTable[] timers = new TimerTable[16];
  private long[] frozenUntil = new long[16];
  private boolean[] silent = new boolean[16];
  private long[] firstUpAt = new long[16];
  private int liveCount;

  private long now;
  private long handled;
  private int current;
  // When the outputs of the handling in progress take effect: now, or its end on a busy node.
  private long departure;

  public Simulation(GossipSettings settings, NetworkModel network, long seed) {
    this(settings, network, seed, false);
  }

  /**
   * A simulation whose nodes compose their roles in per-role mailboxes interleaved at random, as
   * the runtime's actors do ({@link Composition#mailboxes}), when {@code mailboxes} is true.
   */
  public Simulation(GossipSettings settings, NetworkModel network, long seed, boolean mailboxes) {
    this.settings = settings;
    this.network = network;
    this.mailboxes = mailboxes;
    this.random = new SplittableRandom(seed);
    this.wire = new Wire(network, random);
    this.busy =
        network.serviceTime().isZero() ? null : new BusyNodes(network.serviceTime().toNanos());
    this.loss = network.loss();
    this.observer =
        new Observer() {
          @Override
          public void delivered(int node, Delivered delivery, long now) {}

          @Override
          public void received(int node, Message message, long now) {}
        };
  }

  public void observe(Observer observer) {
    this.observer = observer;
  }

  /** Changes the message loss probability from now on: a lossy period within a run. */
  public void setLoss(double probability) {
    if (probability < 0 || probability >= 1) {
      throw new IllegalArgumentException("loss must be in [0, 1), was " + probability);
    }
    loss = probability;
  }

  public long now() {
    return now;
  }

  /** Inputs handed to nodes so far: the engine's unit of work. */
  public long handledEvents() {
    return handled;
  }

  /** Messages that were retransmitted at least once (TCP-like loss). */
  public long retransmittedMessages() {
    return wire.retransmitted();
  }

  /** Messages put on a link, retransmissions not counted. */
  public long transmittedMessages() {
    return wire.transmitted();
  }

  /** Inputs that waited for a busy node (0 without a service time). */
  public long inboxWaits() {
    return busy == null ? 0 : busy.waits();
  }

  /** The total time inputs waited for a busy node, in nanoseconds. */
  public long totalInboxWait() {
    return busy == null ? 0 : busy.totalWait();
  }

  public int pendingEvents() {
    return queue.size();
  }

  public int nodeCount() {
    return nodes.size();
  }

  public int liveCount() {
    return liveCount;
  }

  public NodeId id(int node) {
    return ids[node];
  }

  /** The node's protocol state, or null once it has crashed. */
  public ProtocolNode node(int node) {
    return nodes.get(node);
  }

  public boolean isCrashed(int node) {
    return status[node] == CRASHED;
  }

  /** When the node first had a neighbour, or {@link #NEVER}. */
  public long firstUpAt(int node) {
    return firstUpAt[node];
  }

  /** Indices of the nodes that have not crashed, in index order. */
  public int[] liveNodes() {
    int[] live = new int[liveCount];
    int k = 0;
    for (int i = 0; i < nodes.size(); i++) {
      if (status[i] != CRASHED) {
        live[k++] = i;
      }
    }
    return live;
  }

  /** The node index for a protocol id (a contact matches any incarnation), or -1. */
  public int resolve(NodeId id) {
    Integer index = byHost.get(id.host());
    if (index == null) {
      return -1;
    }
    NodeId known = ids[index];
    if (known.port() != id.port() || (!id.isContact() && known.incarnation() != id.incarnation())) {
      return -1;
    }
    return index;
  }

  /**
   * Starts a new node now that joins through the given nodes (none: it starts the overlay) and
   * returns its index.
   */
  public int addNode(int... contacts) {
    int index = nodes.size();
    grow(index + 1);
    String host =
        "10." + ((index >>> 16) & 255) + "." + ((index >>> 8) & 255) + "." + (index & 255);
    NodeId id = new NodeId(host, PORT, 1);
    ids[index] = id;
    byHost.put(host, index);
    links[index] = new IntList();
    timers[index] = new TimerTable();
    firstUpAt[index] = NEVER;
    Composition composition =
        mailboxes ? Composition.mailboxes(random.split()) : Composition.synchronous();
    nodes.add(new ProtocolNode(id, settings, random.split(), composition));
    liveCount++;
    List<NodeId> contactIds = new ArrayList<>(contacts.length);
    for (int c : contacts) {
      contactIds.add(NodeId.contact(ids[c].host(), ids[c].port()));
    }
    deliver(index, Start.INSTANCE);
    deliver(index, new JoinOverlay(contactIds));
    return index;
  }

  /**
   * Broadcasts from a live node now and returns the message id. On a busy node the broadcast waits
   * for the handling in progress (not for the inputs in its inbox).
   */
  public MessageId broadcast(int node, byte[] payload) {
    current = node;
    handled++;
    departure = busy == null ? now : busy.start(node, Math.max(now, busy.freeAt(node)), true);
    return nodes.get(node).broadcast(payload, now, outbox);
  }

  /** Stops a node at once: its peers' open links reset after one latency. */
  public void crash(int node) {
    crash(node, true);
  }

  /**
   * Crashes a node without resetting its links: each peer learns of it on its next send over the
   * link (LinkFailed a round trip later), as the papers' simulations have it, rather than from a
   * TCP reset one latency after the crash.
   */
  public void crashSilently(int node) {
    crash(node, false);
  }

  private void crash(int node, boolean reset) {
    if (status[node] == CRASHED) {
      return;
    }
    status[node] = CRASHED;
    silent[node] = !reset;
    liveCount--;
    IntList open = links[node];
    for (int k = 0; reset && k < open.size(); k++) {
      int peer = open.get(k);
      if (status[peer] != CRASHED && group[peer] == group[node] && links[peer].contains(node)) {
        queue.push(
            now + network.latency().sample(node, peer, random),
            peer,
            new LinkFailed(ids[node], DownReason.CONNECTION_LOST));
      }
    }
    open.clear();
    timers[node].clear();
    if (busy != null) {
      busy.clear(node);
    }
    nodes.set(node, null);
  }

  /** Hangs a node for a while: it loses every message and its timers wait until it thaws. */
  public void freeze(int node, long forNanos) {
    if (status[node] == LIVE) {
      status[node] = FROZEN;
      frozenUntil[node] = now + forNanos;
    }
  }

  /** Splits the network: nodes talk only within their group ({@code groupOf[i]} for node i). */
  public void partition(int[] groupOf) {
    System.arraycopy(groupOf, 0, group, 0, Math.min(groupOf.length, nodes.size()));
  }

  /** Ends every partition. */
  public void heal() {
    Arrays.fill(group, 0);
  }

  public void runFor(long nanos) {
    runUntil(now + nanos);
  }

  /** Processes every event up to virtual time {@code until} (nanoseconds), inclusive. */
  public void runUntil(long until) {
    EventQueue q = queue;
    while (!q.isEmpty() && q.peekTime() <= until) {
      q.poll();
      now = q.polledTime;
      int target = q.polledTarget;
      Object payload = q.polledPayload;
      long sequence = q.polledSequence;
      byte state = status[target];
      if (state == CRASHED) {
        continue;
      }
      if (state == FROZEN && now >= frozenUntil[target]) {
        status[target] = LIVE;
        state = LIVE;
      }
      boolean waited = payload == WAKE;
      if (waited) {
        long free = state == FROZEN ? frozenUntil[target] : busy.freeAt(target);
        if (free > now) {
          q.push(free, target, WAKE);
          continue;
        }
        BusyNodes.Waiting next = busy.take(target, now);
        if (busy.hasWaiting(target)) {
          q.push(now, target, WAKE); // comes back at the end of this handling
        }
        payload = next.input();
        sequence = next.sequence();
      }
      if (payload instanceof TimerTable.Pending timer) {
        if (timer.sequence != sequence) {
          continue; // replaced by a later schedule
        }
        if (state == FROZEN) {
          timer.sequence = q.push(frozenUntil[target], target, timer);
          continue;
        }
        if (!waited && waitsInInbox(target, payload, sequence)) {
          continue;
        }
        timers[target].consume(timer);
        payload = timer.expired;
      } else if (state == FROZEN || !waited && waitsInInbox(target, payload, sequence)) {
        continue;
      } else if (payload instanceof Received r) {
        observer.received(target, r.message(), now);
      }
      handled++;
      current = target;
      departure = busy == null ? now : busy.start(target, now, payload instanceof Received);
      nodes.get(target).handle((Input) payload, now, outbox);
    }
    now = Math.max(now, until);
  }

  /** Puts an input in the inbox of its node if the node is busy; returns whether it did. */
  private boolean waitsInInbox(int node, Object input, long sequence) {
    if (busy == null || !busy.mustWait(node, now)) {
      return false;
    }
    if (busy.enqueue(node, new BusyNodes.Waiting(input, sequence, now))) {
      queue.push(busy.freeAt(node), node, WAKE);
    }
    return true;
  }

  private void output(Output output) {
    int from = current;
    if (output instanceof Send s) {
      send(from, s);
    } else if (output instanceof Schedule s) {
      TimerTable.Pending timer = timers[from].pending(s.timer());
      timer.sequence = queue.push(departure + s.delay().toNanos(), from, timer);
    } else if (output instanceof Delivered d) {
      observer.delivered(from, d, departure);
    } else if (output instanceof Connect c) {
      connect(from, c.peer());
    } else if (output instanceof Close c) {
      int peer = resolve(c.peer());
      if (peer >= 0) {
        links[from].remove(peer);
      }
    } else if (output instanceof NeighborUp && firstUpAt[from] == NEVER) {
      firstUpAt[from] = now;
    }
  }

  private void send(int from, Send s) {
    NodeId toId = s.to();
    int to = resolve(toId);
    if (to < 0 || status[to] == CRASHED) {
      if (to < 0 || !links[from].contains(to)) {
        fail(from, toId, 2 * latency(from, Math.max(to, 0)));
      } else if (silent[to]) {
        links[from].remove(to); // learnt on use: the send fails
        fail(from, toId, 2 * latency(from, to));
      }
      return;
    }
    if (group[from] != group[to]) {
      if (!links[from].contains(to)) {
        fail(from, toId, network.connectTimeout().toNanos());
      }
      return;
    }
    Message message = s.message();
    if (!network.rejoin() && message instanceof Join && firstUpAt[from] != NEVER) {
      return;
    }
    if (loss > 0 && random.nextDouble() < loss) {
      return;
    }
    queue.push(wire.arrival(from, to, departure, now), to, new Received(ids[from], message));
  }

  private void connect(int from, NodeId peerId) {
    int peer = resolve(peerId);
    if (peer < 0 || status[peer] == CRASHED) {
      fail(from, peerId, 2 * latency(from, Math.max(peer, 0)));
    } else if (group[from] != group[peer]) {
      fail(from, peerId, network.connectTimeout().toNanos());
    } else {
      links[from].add(peer);
    }
  }

  private void fail(int node, NodeId peer, long after) {
    queue.push(departure + after, node, new LinkFailed(peer, DownReason.CONNECTION_LOST));
  }

  private long latency(int from, int to) {
    return network.latency().sample(from, to, random);
  }

  private void deliver(int node, Input input) {
    queue.push(now, node, input);
  }

  private void grow(int n) {
    if (n <= ids.length) {
      return;
    }
    int size = Math.max(n, ids.length * 2);
    ids = Arrays.copyOf(ids, size);
    status = Arrays.copyOf(status, size);
    group = Arrays.copyOf(group, size);
    links = Arrays.copyOf(links, size);
    timers = Arrays.copyOf(timers, size);
    frozenUntil = Arrays.copyOf(frozenUntil, size);
    silent = Arrays.copyOf(silent, size);
    firstUpAt = Arrays.copyOf(firstUpAt, size);
  }
}
