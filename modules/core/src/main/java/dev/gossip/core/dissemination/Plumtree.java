package dev.gossip.core.dissemination;

import dev.gossip.core.Input;
import dev.gossip.core.MessageHistory;
import dev.gossip.core.MessageId;
import dev.gossip.core.NeighborDown;
import dev.gossip.core.NeighborUp;
import dev.gossip.core.NodeId;
import dev.gossip.core.Outbox;
import dev.gossip.core.Received;
import dev.gossip.core.Role;
import dev.gossip.core.Schedule;
import dev.gossip.core.Send;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.heartbeat.RttMeasured;
import dev.gossip.core.message.Ack;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Graft;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.Prune;
import dev.gossip.core.message.Recovered;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plumtree eager/lazy push broadcast (Leitão, Pereira, Rodrigues, "Epidemic Broadcast Trees", SRDS
 * 2007, sections 3.5-3.8): payloads flow eagerly along a spanning tree, announcements (IHave) flow
 * lazily on the other links, duplicates prune the tree and Graft repairs it. Missing-message timers
 * live in the recovery role, which answers {@link Announced} with {@link RequestGraft}.
 *
 * <p>Beyond the paper: messages resent by anti-entropy ({@link Recovered}) are announced to every
 * neighbour rather than pushed, so catching up never prunes healthy tree links; and a resend can
 * overtake the tree's copy of a message still in flight, so the first eager copy after it is taken
 * as the delivery the tree brings (its sender is the origin's parent, made eager if the origin's
 * tree is new here) and prunes nothing. The optimisation (section 3.8) is applied when an IHave for
 * a delivered message arrives with a round shorter than the delivery's by the threshold.
 *
 * <p>A tree per origin: the eager/lazy split is kept for each origin (the {@link #MAX_TRACKED} most
 * recently used), so a Prune (which names the origin whose duplicate caused it) and a Graft (which
 * names the origin of the messages it asks for) rewire that origin's tree only. With one split for
 * every origin, concurrent messages of many senders cross on every cycle and each origin's
 * duplicates cut links the other origins' trees need. A new origin's tree starts as a copy of the
 * tree its origin started from, which the origin names in its first {@link #TEMPLATE_BROADCASTS}
 * broadcasts (the template; answers to Graft for them name it too), so that the nodes copy the same
 * spanning tree and the first messages follow it with no Graft and no duplicate. A node with no
 * tree of the template, or a message that names none (a later one, or the first of an origin that
 * had no tree to copy), copies the most recently used split instead (every link eager when there is
 * none, as a new link is in the paper). Its own duplicates and grafts then shape it. A missing
 * message of an origin without a tree here is grafted without making one, so that the answer's
 * template decides it. A forgotten origin starts again the same way.
 *
 * <p>Fetch or repair: a missing message whose origin's previous message came by eager push (the
 * tree delivers that origin here) is only fetched from an announcer other than the origin's parent:
 * a lazy announcer gets a Prune at once behind the Graft on the same link, so it answers and goes
 * back to lazy for that origin; an eager one (a child that got the message another way) stays
 * eager. The late copy of a fetched message prunes nothing, and neither does a fetch's answer that
 * comes after the tree's copy: it was asked for, not pushed, so it closes no cycle (pruning a child
 * there would cut it from the tree). The fetched message is announced rather than pushed to the
 * origin's parent, which has it or gets it on its own path. The Graft repairs the tree as in the
 * paper when the origin's previous message also needed one and the tree never brought its copy. A
 * lazy peer that still pushes is pruned again (its Prune was lost, or crossed the push).
 *
 * <p>Confirmed broadcasts, beyond the paper: the origin's Gossip of a broadcast asking for {@code
 * k} acks carries an ack request, in its eager push and in its answers to Graft; a neighbour that
 * receives it straight from the origin answers with an {@link Ack}, which the origin reports as
 * {@link Acknowledged} (the driver counts them). With fewer than {@code k} eager peers, lazy peers
 * move to the eager set as a Graft from them would move them, so that {@code k} neighbours get the
 * payload from the origin rather than an IHave; the tree keeps those links until a duplicate prunes
 * them. Unconfirmed broadcasts send nothing more.
 */
public final class Plumtree implements Role.StateMachine {

  /**
   * No overlay path is this long: a larger (or negative) round comes from a broken or hostile peer,
   * and dropping it keeps round arithmetic far from overflow.
   */
  static final int MAX_ROUND = 1 << 16;

  /**
   * Origins with a tree of their own, and fetches awaiting their answer: a fetch is answered within
   * a round trip, and a forgotten one is taken as a repair (or, answered after the tree's copy, as
   * a duplicate). Beyond that many senders, the least recently used origin's tree is forgotten, and
   * its next message starts it again as a new origin's.
   */
  static final int MAX_TRACKED = 1_024;

  /**
   * An origin's broadcasts that name the tree its own started from: enough to cover those sent
   * before its first has reached every node, few enough that later Gossip frames do not carry it.
   */
  static final int TEMPLATE_BROADCASTS = 16;

  /**
   * This node's confirmed broadcasts whose Graft answers ask for an ack: the most recent ones, as
   * many as a driver may wait for at once.
   */
  public static final int MAX_CONFIRMING = 1 << 16;

  /** One origin's tree, as this node sees it. */
  private static final class Tree {
    /**
     * The template the origin's first broadcasts name, or null: on this node's own tree, the origin
     * whose split it copied; on another origin's, the one its Gossip named (passed on in answers to
     * Graft), even when this node had no tree of that origin to copy.
     */
    final NodeId template;

    Tree(NodeId template) {
      this.template = template;
    }

    /**
     * Neighbours that get this origin's messages announced instead of pushed. Changed only by
     * Plumtree's {@code prune} and {@code graft}, which keep the count of lazy trees per peer.
     */
    final Set<NodeId> lazy = new LinkedHashSet<>(8);

    /** The eager peer of the origin's last pushed first delivery. */
    NodeId parent;

    /** Whether the origin's last first delivery was a fetch's answer the tree has not followed. */
    boolean fetched;
  }

  private final NodeId self;
  private final PlumtreeSettings settings;

  private final Set<NodeId> neighbors = new LinkedHashSet<>();

  /** In order of last use: reading them (the accessors) must not change which one is forgotten. */
  private final Map<NodeId, Tree> trees =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, Tree> eldest) {
          if (size() <= MAX_TRACKED) {
            return false;
          }
          eldest.getValue().lazy.forEach(Plumtree.this::countGraft);
          return true;
        }
      };

  /** Per neighbour, the trees it is lazy in: lazy in all of them, it is a lazy peer. */
  private final Map<NodeId, Integer> lazyTrees = new HashMap<>();

  private final SeenMessages seen;
  private final MessageHistory cache;
  private final Map<NodeId, List<Announcement>> lazyQueue = new LinkedHashMap<>();

  /** Per neighbour, the flush of its next batch, after the wait its link's round trip sets. */
  private final Map<NodeId, Schedule> flushes = new HashMap<>();

  private final Map<MessageId, NodeId> fetches = bounded(MAX_TRACKED);
  private final Set<MessageId> confirming = Collections.newSetFromMap(bounded(MAX_CONFIRMING));

  /** The tree {@link #tree} returned last, and its origin: a new origin's starts as a copy. */
  private Tree lastUsed;

  private NodeId lastOrigin;

  private long lastSequence;
  private long duplicates;

  public Plumtree(NodeId self, PlumtreeSettings settings) {
    this.self = self;
    this.settings = settings;
    this.seen = new SeenMessages(settings.seenCapacity(), settings.seenRetention().toNanos());
    this.cache =
        new MessageHistory(
            settings.cacheCapacity(), settings.cacheBytes(), settings.cacheRetention().toNanos());
  }

  private static <K, V> Map<K, V> bounded(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }

  /**
   * Neighbours in the eager set of at least one origin's tree; every neighbour while no origin is
   * known.
   */
  public Set<NodeId> eagerPeers() {
    Set<NodeId> eager = new LinkedHashSet<>(neighbors);
    eager.removeAll(lazyPeers());
    return Collections.unmodifiableSet(eager);
  }

  /** Neighbours lazy for every origin: they only get announcements. */
  public Set<NodeId> lazyPeers() {
    Set<NodeId> lazy = new LinkedHashSet<>();
    for (NodeId peer : neighbors) {
      if (lazyForAll(peer)) {
        lazy.add(peer);
      }
    }
    return Collections.unmodifiableSet(lazy);
  }

  /** How many {@link #lazyPeers()} there are, without building the set. */
  public int lazyPeerCount() {
    int n = 0;
    for (NodeId peer : neighbors) {
      if (lazyForAll(peer)) {
        n++;
      }
    }
    return n;
  }

  /** How many {@link #eagerPeers()} there are, without building the set. */
  public int eagerPeerCount() {
    return neighbors.size() - lazyPeerCount();
  }

  private boolean lazyForAll(NodeId peer) {
    return !trees.isEmpty() && lazyTrees.getOrDefault(peer, 0) == trees.size();
  }

  /**
   * Neighbours that get {@code origin}'s messages pushed; every neighbour for an origin without a
   * tree here (its next message starts one as a copy of the template it names, or of the most
   * recently used split).
   */
  public Set<NodeId> eagerPeers(NodeId origin) {
    Set<NodeId> eager = new LinkedHashSet<>(neighbors);
    eager.removeAll(lazyPeers(origin));
    return Collections.unmodifiableSet(eager);
  }

  /** Neighbours that get {@code origin}'s messages announced. */
  public Set<NodeId> lazyPeers(NodeId origin) {
    Tree tree = trees.get(origin);
    return tree == null ? Set.of() : Collections.unmodifiableSet(tree.lazy);
  }

  /** Origins with a tree of their own here. */
  public int trackedOrigins() {
    return trees.size();
  }

  /** Ids remembered for duplicate detection. */
  public int seenCount() {
    return seen.size();
  }

  public MessageHistory cache() {
    return cache;
  }

  /** Announcements waiting for the next IHave flush, over all lazy peers. */
  public int queuedAnnouncements() {
    int n = 0;
    for (List<Announcement> batch : lazyQueue.values()) {
      n += batch.size();
    }
    return n;
  }

  /** Neighbours with a flush wait: exactly the neighbours. */
  Set<NodeId> flushPeers() {
    return Collections.unmodifiableSet(flushes.keySet());
  }

  /** Announcements waiting for {@code peer}'s next IHave flush. */
  int queuedAnnouncements(NodeId peer) {
    List<Announcement> batch = lazyQueue.get(peer);
    return batch == null ? 0 : batch.size();
  }

  /** Gossip received for an already delivered message, since start. */
  public long duplicates() {
    return duplicates;
  }

  @Override
  public void handle(Input input, long now, Outbox out) {
    if (input instanceof Received r) {
      onReceived(r, now, out);
    } else if (input instanceof Broadcast b) {
      broadcast(b.payload(), b.acks(), now, out);
    } else if (input instanceof RequestGraft g) {
      onRequestGraft(g, out);
    } else if (input instanceof EarlierAnnouncement e) {
      SeenMessages.Delivery delivery = seen.get(e.id());
      if (delivery != null) {
        optimize(e.id().origin(), e.announcer(), e.round(), delivery, out);
      }
    } else if (input instanceof NeighborUp up) {
      if (neighbors.add(up.peer())) {
        flushes.put(up.peer(), flushAfter(up.peer(), settings.ihaveInterval()));
      }
    } else if (input instanceof NeighborDown down) {
      neighbors.remove(down.peer());
      flushes.remove(down.peer());
      lazyQueue.remove(down.peer());
      for (Tree tree : trees.values()) {
        graft(tree, down.peer());
      }
    } else if (input instanceof RttMeasured m) {
      // The lower of the two: a round trip that queues inflated stops counting with the first
      // Pong after they drain, where the smoothed one would take a dozen Pings to come down.
      Duration rtt = m.sample().compareTo(m.smoothedRtt()) < 0 ? m.sample() : m.smoothedRtt();
      flushes.computeIfPresent(m.peer(), (peer, old) -> flushAfter(peer, rtt));
    } else if (input instanceof TimerExpired t && t.timer() instanceof IHaveFlush f) {
      List<Announcement> batch = lazyQueue.remove(f.peer());
      if (batch != null) {
        out.add(new Send(f.peer(), new IHave(batch)));
      }
    }
  }

  /** Starts a broadcast from this node and returns its id; the origin delivers it at hops 0. */
  public MessageId broadcast(byte[] payload, long now, Outbox out) {
    return broadcast(payload, 0, now, out);
  }

  /**
   * Starts a broadcast that asks for {@code acks} acks (0: none, an unconfirmed broadcast) and
   * returns its id.
   */
  public MessageId broadcast(byte[] payload, int acks, long now, Outbox out) {
    MessageId id = new MessageId(self, ++lastSequence);
    seen.add(id, self, 0, now);
    cache.put(id, 0, payload, now);
    out.add(new Delivered(id, self, 0, payload));
    boolean confirmed = acks > 0;
    Tree tree = tree(self);
    if (confirmed) {
      confirming.add(id);
      for (NodeId lazy : List.copyOf(tree.lazy)) {
        if (neighbors.size() - tree.lazy.size() >= acks) {
          break;
        }
        graft(tree, lazy);
      }
    }
    push(tree, id, 1, payload, confirmed, namedBy(id, tree.template), self, null, out);
    return id;
  }

  /**
   * The origin's tree for a peer's Prune or Graft: a new one only while fewer than {@link
   * #MAX_TRACKED} exist, so a peer naming made-up origins never evicts the trees of real ones. A
   * Prune for a forgotten origin then costs one more duplicate later.
   */
  private Tree treeIfRoom(NodeId origin) {
    return trees.containsKey(origin) || trees.size() < MAX_TRACKED ? tree(origin) : null;
  }

  /** The origin's tree, made the most recently used; a new one copies the most recent split. */
  private Tree tree(NodeId origin) {
    return tree(origin, null);
  }

  /**
   * The origin's tree, made the most recently used. A new origin's starts as a copy of {@code
   * template}'s split if that origin has a tree here, else of the most recently used one's (every
   * link eager if there is none). A tree's links are eager at both ends, so where the nodes copy
   * the same origin's tree the new origin's first message follows it from any root, with no
   * duplicate; where they copy different ones, some nodes get it through an IHave and a Graft, and
   * some twice. Its own duplicates and grafts then shape its tree.
   */
  private Tree tree(NodeId origin, NodeId template) {
    if (origin.equals(lastOrigin)) {
      return lastUsed;
    }
    Tree tree = trees.remove(origin);
    if (tree == null) {
      Tree source = template == null ? null : trees.get(template);
      if (source == null) {
        source = lastUsed;
      }
      // This node's own tree is never made from a Gossip: it records the split it copied.
      tree = new Tree(origin.equals(self) ? lastOrigin : template);
      if (source != null) {
        for (NodeId peer : source.lazy) {
          prune(tree, peer);
        }
      }
    }
    trees.put(origin, tree);
    lastOrigin = origin;
    lastUsed = tree;
    return tree;
  }

  private void onReceived(Received r, long now, Outbox out) {
    NodeId from = r.from();
    if (r.message() instanceof Gossip g) {
      onGossip(from, g, now, out);
    } else if (r.message() instanceof IHave ihave) {
      onIHave(from, ihave, out);
    } else if (r.message() instanceof Graft graft) {
      onGraft(from, graft, now, out);
    } else if (r.message() instanceof Prune prune) {
      Tree tree = isNeighbor(from) ? treeIfRoom(prune.origin()) : null;
      if (tree != null) {
        prune(tree, from);
      }
    } else if (r.message() instanceof Recovered rec) {
      onRecovered(from, rec, now, out);
    } else if (r.message() instanceof Ack ack
        && isNeighbor(from)
        && confirming.contains(ack.id())) {
      out.add(new Acknowledged(ack.id(), from));
    }
  }

  private void onGossip(NodeId from, Gossip g, long now, Outbox out) {
    if (!validRound(g.round())) {
      return;
    }
    // Straight from the origin, even before this role heard of it as a neighbour: its Gossip may
    // overtake the membership role's NeighborUp. An Ack is smaller than what it answers.
    if (g.ackRequested() && from.equals(g.id().origin())) {
      out.add(new Send(from, new Ack(g.id())));
    }
    if (alreadyDelivered(g.id())) {
      onDuplicate(from, g, out);
      return;
    }
    if (isOwn(g.id())) {
      return; // a sequence this node never broadcast
    }
    NodeId template = namedBy(g.id(), g.template());
    Tree tree = tree(g.id().origin(), template);
    NodeId asked = fetches.get(g.id());
    boolean fetched = asked != null && (from.equals(asked) || tree.lazy.contains(from));
    // Kept until the announcer answers: its answer after this copy prunes nothing.
    fetches.remove(g.id(), from);
    SeenMessages.Delivery delivery = seen.add(g.id(), from, g.round(), now);
    cache.put(g.id(), g.round(), g.payload(), now);
    out.add(new Delivered(g.id(), from, g.round(), g.payload()));
    if (fetched) {
      delivery.fetched = true;
      tree.fetched = true;
      push(tree, g.id(), g.round() + 1, g.payload(), false, template, from, tree.parent, out);
      return;
    }
    graft(tree, from);
    if (isNeighbor(from)) {
      tree.parent = from;
      tree.fetched = false;
    }
    push(tree, g.id(), g.round() + 1, g.payload(), false, template, from, null, out);
  }

  private void onDuplicate(NodeId from, Gossip g, Outbox out) {
    duplicates++;
    if (!isNeighbor(from)) {
      return;
    }
    MessageId id = g.id();
    // A tree made now is a copy of another origin's split, which says nothing of this sender.
    boolean newTree = !trees.containsKey(id.origin());
    Tree tree = tree(id.origin());
    if (fetches.remove(id, from)) {
      return; // a fetch's answer, after the tree's copy: asked for, not pushed
    }
    SeenMessages.Delivery delivery = seen.get(id);
    if (delivery != null && delivery.fetched && !tree.lazy.contains(from)) {
      // The tree's late copy of a fetched message: the link is not redundant, and the tree still
      // delivers the origin here, so its next missing message is fetched too.
      tree.fetched = false;
      return;
    }
    if (delivery != null && delivery.sender == null && (newTree || !tree.lazy.contains(from))) {
      // The tree's copy of a message anti-entropy resent first: the delivery the tree brings,
      // its sender eager as a first delivery's is.
      graft(tree, from);
      delivery.sender = from;
      delivery.round = g.round();
      tree.parent = from;
      tree.fetched = false;
      return;
    }
    // Duplicates only: this link closes a cycle of the origin's tree (or, lazy already, its
    // Prune was lost or crossed the push).
    prune(tree, from);
    out.add(new Send(from, new Prune(id.origin())));
  }

  /**
   * Eager push to the origin's eager peers, announcement to its lazy ones; never back to the
   * sender. A fetched message is announced instead of pushed to its origin's parent ({@code
   * upstream}).
   */
  private void push(
      Tree tree,
      MessageId id,
      int round,
      byte[] payload,
      boolean ackRequested,
      NodeId template,
      NodeId from,
      NodeId upstream,
      Outbox out) {
    Gossip gossip = null;
    Announcement announcement = new Announcement(id, round);
    for (NodeId peer : neighbors) {
      if (peer.equals(from)) {
        continue;
      }
      if (tree.lazy.contains(peer) || peer.equals(upstream)) {
        announce(peer, announcement, out);
      } else {
        if (gossip == null) {
          gossip = new Gossip(id, round, payload, ackRequested, template);
        }
        out.add(new Send(peer, gossip));
      }
    }
  }

  private void onRecovered(NodeId from, Recovered rec, long now, Outbox out) {
    if (!isNeighbor(from) || isOwn(rec.id()) || !validRound(rec.round())) {
      return;
    }
    if (seen.contains(rec.id())) {
      out.add(new AlreadyDelivered(rec.id()));
      return;
    }
    // Not an eager delivery: no tree link to replace, so the optimisation must not prune one.
    seen.add(rec.id(), null, rec.round(), now);
    cache.put(rec.id(), rec.round(), rec.payload(), now);
    out.add(new Delivered(rec.id(), from, rec.round(), rec.payload()));
    Announcement announcement = new Announcement(rec.id(), rec.round() + 1);
    for (NodeId peer : neighbors) {
      if (!peer.equals(from)) {
        announce(peer, announcement, out);
      }
    }
  }

  /**
   * Queues an announcement for a lazy peer. Its batch waits the link's round trip (the heartbeat's
   * latest or smoothed, whichever is lower), between {@code ihave-interval} and {@code
   * max-ihave-interval}: an IHave is needed only if the eager copy does not come, and the repair it
   * starts costs the graft timer and a round trip of this link anyway. Waiting that long puts more
   * announcements in each frame, and a copy the tree delivers meanwhile needs none.
   */
  private void announce(NodeId peer, Announcement announcement, Outbox out) {
    List<Announcement> batch = lazyQueue.get(peer);
    if (batch == null) {
      batch = new ArrayList<>();
      lazyQueue.put(peer, batch);
      // A new batch replaces the flush still pending for the last one, sent when it filled up.
      out.add(flushes.get(peer));
    }
    batch.add(announcement);
    if (batch.size() >= settings.maxIHaveBatch()) {
      lazyQueue.remove(peer);
      out.add(new Send(peer, new IHave(batch)));
    }
  }

  /**
   * The flush of {@code peer}'s batches, after its link's round trip {@code rtt} within the bounds:
   * at most {@code max-ihave-interval}, at least {@code ihave-interval} (which wins if the two
   * cross).
   */
  private Schedule flushAfter(NodeId peer, Duration rtt) {
    Duration wait =
        rtt.compareTo(settings.maxIHaveInterval()) > 0 ? settings.maxIHaveInterval() : rtt;
    if (wait.compareTo(settings.ihaveInterval()) < 0) {
      wait = settings.ihaveInterval();
    }
    return new Schedule(wait, new IHaveFlush(peer));
  }

  private void onIHave(NodeId from, IHave ihave, Outbox out) {
    if (!isNeighbor(from)) {
      return;
    }
    List<Announcement> announcements = ihave.announcements();
    int n = Math.min(announcements.size(), settings.maxIHaveBatch());
    for (int i = 0; i < n; i++) {
      Announcement a = announcements.get(i);
      if (!validRound(a.round())) {
        continue;
      }
      SeenMessages.Delivery delivery = seen.get(a.id());
      if (delivery == null) {
        if (!isOwn(a.id())) {
          out.add(new Announced(a.id(), from, a.round(), cutOff(a.id().origin())));
        }
      } else {
        optimize(a.id().origin(), from, a.round(), delivery, out);
      }
    }
  }

  /**
   * Whether this node is cut off from the origin's tree: it has a tree for the origin and every
   * neighbour is lazy in it, so no eager copy of the origin's messages comes until a Graft. Prunes
   * of crossing duplicates can leave a node so.
   */
  private boolean cutOff(NodeId origin) {
    Tree tree = trees.get(origin);
    return tree != null && tree.lazy.containsAll(neighbors);
  }

  // Section 3.8: a lazy link that is shorter by the threshold replaces the eager one.
  private void optimize(
      NodeId origin, NodeId lazy, int round, SeenMessages.Delivery delivery, Outbox out) {
    NodeId eager = delivery.sender;
    Tree tree = trees.get(origin);
    if (eager == null
        || tree == null
        || delivery.round - round < settings.optimizationThreshold()
        || !tree.lazy.contains(lazy)
        || !isNeighbor(eager)
        || tree.lazy.contains(eager)) {
      return;
    }
    graft(tree, lazy);
    out.add(new Send(lazy, new Graft(origin, List.of())));
    prune(tree, eager);
    out.add(new Send(eager, new Prune(origin)));
    tree.parent = lazy;
    delivery.sender = lazy;
    delivery.round = round;
  }

  private void onGraft(NodeId from, Graft graft, long now, Outbox out) {
    if (!isNeighbor(from)) {
      return;
    }
    // Expire first: a payload older than the retention is no longer kept to answer Graft.
    cache.expire(now);
    Tree tree = treeIfRoom(graft.origin());
    if (tree == null && graft.ids().stream().anyMatch(id -> cache.get(id) != null)) {
      tree = tree(graft.origin());
    }
    if (tree != null) {
      graft(tree, from);
    }
    List<MessageId> ids = graft.ids();
    int n = Math.min(ids.size(), settings.maxIHaveBatch());
    for (int i = 0; i < n; i++) {
      MessageHistory.Entry cached = cache.get(ids.get(i));
      if (cached != null) {
        out.add(
            new Send(
                from,
                new Gossip(
                    cached.id(),
                    cached.round() + 1,
                    cached.payload(),
                    confirming.contains(cached.id()),
                    tree == null ? null : namedBy(cached.id(), tree.template))));
      }
    }
  }

  private void onRequestGraft(RequestGraft g, Outbox out) {
    NodeId announcer = g.announcer();
    if (seen.contains(g.id()) || !isNeighbor(announcer)) {
      return;
    }
    NodeId origin = g.id().origin();
    if (!trees.containsKey(origin)) {
      // No tree yet: the answer makes it, from the template it names, and its sender eager.
      out.add(new Send(announcer, Graft.of(g.id())));
      return;
    }
    Tree tree = tree(origin);
    if (!announcer.equals(tree.parent)
        && !tree.fetched
        && tree.parent != null
        && isNeighbor(tree.parent)
        && !tree.lazy.contains(tree.parent)) {
      // The tree delivers this origin here: only fetch. The Prune right behind the Graft undoes,
      // on a lazy link, the eager push the Graft starts at the announcer once it has answered.
      fetches.put(g.id(), announcer);
      out.add(new Send(announcer, Graft.of(g.id())));
      if (tree.lazy.contains(announcer)) {
        out.add(new Send(announcer, new Prune(origin)));
      }
      return;
    }
    graft(tree, announcer);
    out.add(new Send(announcer, Graft.of(g.id())));
  }

  /** Moves {@code peer} to the tree's lazy set. */
  private void prune(Tree tree, NodeId peer) {
    if (tree.lazy.add(peer)) {
      lazyTrees.merge(peer, 1, Integer::sum);
    }
  }

  /** Moves {@code peer} to the tree's eager set. */
  private void graft(Tree tree, NodeId peer) {
    if (tree.lazy.remove(peer)) {
      countGraft(peer);
    }
  }

  private void countGraft(NodeId peer) {
    lazyTrees.computeIfPresent(peer, (p, n) -> n == 1 ? null : n - 1);
  }

  /** Seen, or one of this node's own broadcasts even after its id was forgotten. */
  private boolean alreadyDelivered(MessageId id) {
    return seen.contains(id) || (isOwn(id) && id.sequence() <= lastSequence);
  }

  /**
   * The template a Gossip of {@code id} names: only an origin's first broadcasts name one, so a
   * peer cannot make every frame carry it.
   */
  private static NodeId namedBy(MessageId id, NodeId template) {
    return id.sequence() <= TEMPLATE_BROADCASTS ? template : null;
  }

  /**
   * This node's own messages are never delivered from a peer: an unseen one is either forgotten or
   * forged, and a forged one must not collide with a later broadcast's sequence.
   */
  private boolean isOwn(MessageId id) {
    return id.origin().equals(self);
  }

  private static boolean validRound(int round) {
    return round >= 0 && round <= MAX_ROUND;
  }

  private boolean isNeighbor(NodeId peer) {
    return neighbors.contains(peer);
  }
}
