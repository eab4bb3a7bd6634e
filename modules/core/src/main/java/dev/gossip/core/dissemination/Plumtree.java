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
import dev.gossip.core.message.Ack;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Graft;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.Prune;
import dev.gossip.core.message.Recovered;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
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
 * neighbour rather than pushed, so catching up never prunes healthy tree links; the optimisation
 * (section 3.8) is applied when an IHave for a delivered message arrives with a round shorter than
 * the delivery's by the threshold.
 *
 * <p>Per-origin grafts: one eager/lazy split serves every origin, so a Graft made because one
 * message was lost or slow on its way, and the Prune its late copy then triggers, rewire the tree
 * for every origin, and with many senders the Prunes of concurrent duplicates cut one cycle in
 * several places. So a missing message whose origin's previous message came by eager push (the tree
 * delivers that origin here) is only fetched: a Prune follows the Graft at once on the same link,
 * so the announcer answers and goes back to lazy, the late copy of a fetched message prunes
 * nothing, and the fetched message is announced rather than pushed to the origin's parent, which
 * has it or gets it on its own path. The Graft repairs the tree as in the paper when the origin's
 * previous message also needed one and the tree never brought its copy. A lazy peer that still
 * pushes is pruned again (its Prune was lost, or crossed the push).
 *
 * <p>Per-origin prunes: a duplicate from an eager peer that is no tracked origin's parent (the peer
 * its last pushed first delivery came from) prunes it at once, as in the paper, so one sender's
 * tree is the paper's. With many senders, concurrent messages of different origins cross on every
 * cycle, and a duplicate for one origin says nothing of the link's use to the others: a parent is
 * pruned only after {@code prune-threshold} duplicates in a row, a first delivery from it starting
 * the count again. A link stays eager while it delivers first more than about one message in {@code
 * prune-threshold}; one that only repeats what other links bring is still pruned.
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
   * Origins whose path is remembered, and fetches awaiting their answer: a fetch is answered within
   * a round trip, and a forgotten one is taken as a repair. Beyond that many senders, the least
   * recent origins' Grafts repair the tree as in the paper.
   */
  static final int MAX_TRACKED = 1_024;

  /**
   * This node's confirmed broadcasts whose Graft answers ask for an ack: the most recent ones, as
   * many as a driver may wait for at once.
   */
  public static final int MAX_CONFIRMING = 1 << 16;

  private static final Prune PRUNE = new Prune();
  private static final Graft REWIRE = new Graft(List.of());

  /** How an origin's messages last reached this node. */
  private static final class OriginPath {
    /** The eager peer of the origin's last pushed first delivery. */
    NodeId parent;

    /** Whether the origin's last first delivery was a fetch's answer the tree has not followed. */
    boolean fetched;
  }

  private final NodeId self;
  private final PlumtreeSettings settings;

  private final Set<NodeId> eagerPeers = new LinkedHashSet<>();
  private final Set<NodeId> lazyPeers = new LinkedHashSet<>();
  private final SeenMessages seen;
  private final MessageHistory cache;
  private final Map<NodeId, List<Announcement>> lazyQueue = new LinkedHashMap<>();
  private final Map<NodeId, OriginPath> paths =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, OriginPath> eldest) {
          if (size() <= MAX_TRACKED) {
            return false;
          }
          release(eldest.getValue().parent);
          return true;
        }
      };

  private final Map<MessageId, NodeId> fetches = bounded(MAX_TRACKED);
  private final Set<MessageId> confirming = Collections.newSetFromMap(bounded(MAX_CONFIRMING));

  /** Duplicates in a row per eager peer, since its last first delivery. */
  private final Map<NodeId, Integer> duplicateStreaks = new HashMap<>();

  /** Per peer, the tracked origins whose last pushed first delivery came from it. */
  private final Map<NodeId, Integer> parentOf = new HashMap<>();

  private boolean flushScheduled;
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

  public Set<NodeId> eagerPeers() {
    return Collections.unmodifiableSet(eagerPeers);
  }

  public Set<NodeId> lazyPeers() {
    return Collections.unmodifiableSet(lazyPeers);
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
        optimize(e.announcer(), e.round(), delivery, out);
      }
    } else if (input instanceof NeighborUp up) {
      if (!lazyPeers.contains(up.peer())) {
        eagerPeers.add(up.peer());
      }
    } else if (input instanceof NeighborDown down) {
      eagerPeers.remove(down.peer());
      duplicateStreaks.remove(down.peer());
      lazyPeers.remove(down.peer());
      lazyQueue.remove(down.peer());
    } else if (input instanceof TimerExpired t && t.timer() == IHaveFlush.INSTANCE) {
      flushScheduled = false;
      lazyQueue.forEach((peer, batch) -> out.add(new Send(peer, new IHave(batch))));
      lazyQueue.clear();
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
    if (confirmed) {
      confirming.add(id);
      Iterator<NodeId> lazy = lazyPeers.iterator();
      while (eagerPeers.size() < acks && lazy.hasNext()) {
        eagerPeers.add(lazy.next());
        lazy.remove();
      }
    }
    push(id, 1, payload, confirmed, self, null, out);
    return id;
  }

  private void onReceived(Received r, long now, Outbox out) {
    NodeId from = r.from();
    if (r.message() instanceof Gossip g) {
      onGossip(from, g, now, out);
    } else if (r.message() instanceof IHave ihave) {
      onIHave(from, ihave, out);
    } else if (r.message() instanceof Graft graft) {
      onGraft(from, graft, now, out);
    } else if (r.message() instanceof Prune) {
      demote(from);
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
      onDuplicate(from, g.id(), out);
      return;
    }
    if (isOwn(g.id())) {
      return; // a sequence this node never broadcast
    }
    boolean fetched = fetches.remove(g.id()) != null && lazyPeers.contains(from);
    duplicateStreaks.remove(from);
    SeenMessages.Delivery delivery = seen.add(g.id(), from, g.round(), now);
    cache.put(g.id(), g.round(), g.payload(), now);
    out.add(new Delivered(g.id(), from, g.round(), g.payload()));
    OriginPath path = paths.computeIfAbsent(g.id().origin(), o -> new OriginPath());
    if (fetched) {
      delivery.fetched = true;
      path.fetched = true;
      push(g.id(), g.round() + 1, g.payload(), false, from, path.parent, out);
      return;
    }
    if (lazyPeers.remove(from)) {
      eagerPeers.add(from);
    }
    if (eagerPeers.contains(from)) {
      adopt(path, from);
      path.fetched = false;
    }
    push(g.id(), g.round() + 1, g.payload(), false, from, null, out);
  }

  private void onDuplicate(NodeId from, MessageId id, Outbox out) {
    duplicates++;
    SeenMessages.Delivery delivery = seen.get(id);
    if (delivery != null && delivery.fetched && eagerPeers.contains(from)) {
      // The tree's late copy of a fetched message: the link is not redundant, and the tree still
      // delivers the origin here, so its next missing message is fetched too.
      OriginPath path = paths.get(id.origin());
      if (path != null) {
        path.fetched = false;
      }
      return;
    }
    if (parentOf.containsKey(from)
        && eagerPeers.contains(from)
        && duplicateStreaks.merge(from, 1, Integer::sum) < settings.pruneThreshold()) {
      return; // the tree's link for another origin
    }
    if (demote(from)) {
      // Duplicates only: this link is redundant in the tree.
      out.add(new Send(from, PRUNE));
    } else if (lazyPeers.contains(from)) {
      out.add(new Send(from, PRUNE));
    }
  }

  /**
   * Eager push to the eager peers, announcement to the lazy ones; never back to the sender. A
   * fetched message is announced instead of pushed to its origin's parent ({@code upstream}).
   */
  private void push(
      MessageId id,
      int round,
      byte[] payload,
      boolean ackRequested,
      NodeId from,
      NodeId upstream,
      Outbox out) {
    Gossip gossip = new Gossip(id, round, payload, ackRequested);
    Announcement announcement = new Announcement(id, round);
    for (NodeId peer : eagerPeers) {
      if (peer.equals(upstream)) {
        announce(Set.of(peer), announcement, from, out);
      } else if (!peer.equals(from)) {
        out.add(new Send(peer, gossip));
      }
    }
    announce(lazyPeers, announcement, from, out);
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
    announce(eagerPeers, announcement, from, out);
    announce(lazyPeers, announcement, from, out);
  }

  private void announce(Set<NodeId> peers, Announcement announcement, NodeId from, Outbox out) {
    for (NodeId peer : peers) {
      if (peer.equals(from)) {
        continue;
      }
      List<Announcement> batch = lazyQueue.computeIfAbsent(peer, p -> new ArrayList<>());
      batch.add(announcement);
      if (batch.size() >= settings.maxIHaveBatch()) {
        lazyQueue.remove(peer);
        out.add(new Send(peer, new IHave(batch)));
      } else if (!flushScheduled) {
        flushScheduled = true;
        out.add(new Schedule(settings.ihaveInterval(), IHaveFlush.INSTANCE));
      }
    }
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
          out.add(new Announced(a.id(), from, a.round()));
        }
      } else {
        optimize(from, a.round(), delivery, out);
      }
    }
  }

  /** Makes {@code peer} the origin's parent: the eager peer its first deliveries come from. */
  private void adopt(OriginPath path, NodeId peer) {
    if (!peer.equals(path.parent)) {
      release(path.parent);
      path.parent = peer;
      parentOf.merge(peer, 1, Integer::sum);
    }
  }

  private void release(NodeId parent) {
    if (parent != null) {
      parentOf.computeIfPresent(parent, (p, n) -> n == 1 ? null : n - 1);
    }
  }

  /** Moves an eager peer to the lazy set; false if it was not eager. */
  private boolean demote(NodeId peer) {
    if (!eagerPeers.remove(peer)) {
      return false;
    }
    duplicateStreaks.remove(peer);
    lazyPeers.add(peer);
    return true;
  }

  // Section 3.8: a lazy link that is shorter by the threshold replaces the eager one.
  private void optimize(NodeId lazy, int round, SeenMessages.Delivery delivery, Outbox out) {
    NodeId eager = delivery.sender;
    if (eager == null
        || delivery.round - round < settings.optimizationThreshold()
        || !lazyPeers.contains(lazy)
        || !eagerPeers.contains(eager)) {
      return;
    }
    lazyPeers.remove(lazy);
    eagerPeers.add(lazy);
    out.add(new Send(lazy, REWIRE));
    demote(eager);
    out.add(new Send(eager, PRUNE));
    delivery.sender = lazy;
    delivery.round = round;
  }

  private void onGraft(NodeId from, Graft graft, long now, Outbox out) {
    if (!isNeighbor(from)) {
      return;
    }
    if (lazyPeers.remove(from)) {
      eagerPeers.add(from);
    }
    // Expire first: a payload older than the retention is no longer kept to answer Graft.
    cache.expire(now);
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
                    confirming.contains(cached.id()))));
      }
    }
  }

  private void onRequestGraft(RequestGraft g, Outbox out) {
    NodeId announcer = g.announcer();
    if (seen.contains(g.id()) || !isNeighbor(announcer)) {
      return;
    }
    OriginPath path = paths.get(g.id().origin());
    if (lazyPeers.contains(announcer)
        && path != null
        && !path.fetched
        && eagerPeers.contains(path.parent)) {
      // The tree delivers this origin here: only fetch. The Prune right behind the Graft undoes,
      // on the same link, the eager push the Graft starts at the announcer once it has answered.
      fetches.put(g.id(), announcer);
      out.add(new Send(announcer, new Graft(List.of(g.id()))));
      out.add(new Send(announcer, PRUNE));
      return;
    }
    if (lazyPeers.remove(announcer)) {
      eagerPeers.add(announcer);
    }
    out.add(new Send(announcer, new Graft(List.of(g.id()))));
  }

  /** Seen, or one of this node's own broadcasts even after its id was forgotten. */
  private boolean alreadyDelivered(MessageId id) {
    return seen.contains(id) || (isOwn(id) && id.sequence() <= lastSequence);
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
    return eagerPeers.contains(peer) || lazyPeers.contains(peer);
  }
}
