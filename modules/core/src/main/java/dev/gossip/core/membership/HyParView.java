package dev.gossip.core.membership;

import dev.gossip.core.Close;
import dev.gossip.core.Connect;
import dev.gossip.core.DownReason;
import dev.gossip.core.Input;
import dev.gossip.core.LinkFailed;
import dev.gossip.core.NeighborDown;
import dev.gossip.core.NeighborUp;
import dev.gossip.core.NodeId;
import dev.gossip.core.Outbox;
import dev.gossip.core.Received;
import dev.gossip.core.Role;
import dev.gossip.core.Sampling;
import dev.gossip.core.Schedule;
import dev.gossip.core.Send;
import dev.gossip.core.Start;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.message.Disconnect;
import dev.gossip.core.message.ForwardJoin;
import dev.gossip.core.message.Join;
import dev.gossip.core.message.Neighbor;
import dev.gossip.core.message.NeighborReply;
import dev.gossip.core.message.Shuffle;
import dev.gossip.core.message.ShuffleReply;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * HyParView membership (Leitão, Pereira, Rodrigues, "HyParView: a membership protocol for reliable
 * gossip-based broadcast", DSN 2007, section 4): a small symmetric active view of linked
 * neighbours, a larger passive view of backups kept fresh by shuffles, random-walk joins, and
 * replacement of failed neighbours from the passive view.
 *
 * <p>Beyond the paper: (1) a node whose active view stays empty once its passive view is exhausted
 * re-joins through its contacts and the neighbours it has had, with exponential backoff, and so
 * does a short node with nobody left to ask (see {@link #joinIfStarving}); (2) the active view is
 * refilled on every shuffle tick, not only on a failure; (3) Join and ForwardJoin acceptance is
 * made explicit with a high-priority {@link Neighbor}, since the core has no TCP connection whose
 * opening would tell the joiner; (4) an id with a newer incarnation on the same address replaces
 * the older one; (5) a ForwardJoin or Shuffle ttl above ARWL is taken as ARWL, so a peer cannot
 * start a longer walk; (6) a peer that sent Disconnect is not asked back with Neighbor before the
 * next shuffle tick; (7) a node with at most one active member asks with high priority, since it is
 * one failure away from isolation and full peers would refuse it forever; (8) revival probes: peers
 * whose link failed are remembered as suspects, and every shuffle tick one of them is asked with a
 * high-priority Neighbor. After a partition heals, both sides have full active views and no reason
 * to look elsewhere; a suspect that answers is the other side, and the forced link merges the
 * overlay again; (9) a short active view fills without waiting for a shuffle tick: refill ticks on
 * a backoff while short, full nodes introducing nodes that lack a link to each other, and a forced
 * link when two or more slots are free or two linked nodes both lack one (see {@link #refill});
 * (10) a shuffle reply is made up with active members when the passive view holds fewer nodes than
 * the walk brought (see {@link #shuffleReply}).
 */
public final class HyParView implements Role.StateMachine {

  /**
   * The re-join candidates kept, in passive views' worth. With 95 % of the nodes failed, all of 120
   * (four passive views) are dead for one survivor in 500 (0.95^120), which then stays isolated
   * unless a survivor happens to ask it; all of 240 for one in 200,000.
   */
  private static final int KNOWN_PASSIVE_VIEWS = 8;

  private final NodeId self;
  private final MembershipSettings settings;
  private final RandomGenerator random;

  private final AddressSet activeView = new AddressSet();
  private final AddressSet passiveView = new AddressSet();

  /** Passive members asked with Neighbor and not answered yet. */
  private final AddressSet pendingNeighbors = new AddressSet();

  /**
   * Passive members that refused, dropped this node or were dropped by it since the last shuffle or
   * refill tick; not asked again until then.
   */
  private final Set<NodeId> refusedNeighbors = new LinkedHashSet<>();

  /**
   * The last node outside the active view that asked with a low-priority Neighbor, so one lacking a
   * link, until it is introduced to the next such node.
   */
  private NodeId lastShort;

  /**
   * Delay of the next refill tick while the active view is short: {@code rejoin-backoff-min},
   * doubling per tick up to a shuffle interval, back to the minimum once the view is full.
   */
  private Duration refillBackoff;

  /** A RefillTick is scheduled: at most one at a time, so the backoff doubles once per tick. */
  private boolean refillTickPending;

  /** A neighbour said it lacks a link too while this node did: they cannot fill each other. */
  private boolean neighbourShort;

  /** Peers whose link failed or who never answered: the revival probe candidates. */
  private final Suspects suspects;

  /**
   * Nodes this node has had in its views, most recent last, up to {@link #KNOWN_PASSIVE_VIEWS}
   * passive views' worth: the re-join candidates after the contacts. The views themselves are too
   * small to count on after a massive failure; of a couple of hundred nodes seen, some survive even
   * 95 % failing.
   */
  private final AddressSet knownNodes = new AddressSet();

  private List<NodeId> contacts = List.of();
  private List<NodeId> lastShuffleSample = List.of();

  /** Join candidates left in the current round; empty when not joining. */
  private final Deque<NodeId> joinCandidates = new ArrayDeque<>();

  private final List<NodeId> joinTried = new ArrayList<>();
  private NodeId joinAttempt;
  private JoinState joinState = JoinState.IDLE;
  private Duration rejoinBackoff;
  private boolean left;

  public HyParView(NodeId self, MembershipSettings settings, RandomGenerator random) {
    this.self = self;
    this.settings = settings;
    this.random = random;
    this.rejoinBackoff = settings.rejoinBackoffMin();
    this.refillBackoff = settings.rejoinBackoffMin();
    this.suspects = new Suspects(settings.passiveViewSize(), settings.suspectRetention().toNanos());
  }

  public Set<NodeId> activeView() {
    return Collections.unmodifiableSet(activeView);
  }

  public Set<NodeId> passiveView() {
    return Collections.unmodifiableSet(passiveView);
  }

  public Set<NodeId> pendingNeighbors() {
    return Collections.unmodifiableSet(pendingNeighbors);
  }

  /** Peers whose link failed, oldest first, until heard from again or expired. */
  public Set<NodeId> suspects() {
    return suspects.view();
  }

  @Override
  public void handle(Input input, long now, Outbox out) {
    if (left) {
      return;
    }
    if (input instanceof Received r) {
      onReceived(r, out);
    } else if (input instanceof TimerExpired t && t.timer() instanceof MembershipTimer timer) {
      onTimer(timer, now, out);
    } else if (input instanceof LinkFailed f) {
      onLinkFailed(f.peer(), f.reason(), now, out);
    } else if (input instanceof JoinOverlay j) {
      onJoinOverlay(j, out);
    } else if (input == Leave.INSTANCE) {
      onLeave(out);
    } else if (input == Start.INSTANCE) {
      out.add(
          Schedule.firstOfPeriodic(
              settings.shuffleInterval(), MembershipTimer.ShuffleTick.INSTANCE, random));
    }
    if (!left) {
      scheduleRefillIfShort(out);
    }
  }

  /**
   * Below capacity, the view is looked at again after a backoff that starts at {@code
   * rejoin-backoff-min} and doubles up to a shuffle interval, instead of only at the next shuffle
   * tick: a joiner whose walks brought fewer links than the capacity, or a node that lost one and
   * whose passive members all refused, keeps looking quickly while it is short.
   */
  private void scheduleRefillIfShort(Outbox out) {
    if (!refillTickPending && !activeView.isEmpty() && activeView.size() < activeCapacity()) {
      refillTickPending = true;
      out.add(new Schedule(refillBackoff, MembershipTimer.RefillTick.INSTANCE));
      refillBackoff = min(refillBackoff.multipliedBy(2), settings.shuffleInterval());
    }
  }

  private void onReceived(Received r, Outbox out) {
    NodeId from = r.from();
    if (unusable(from)) {
      return;
    }
    suspects.heardFrom(from);
    forgetOlderIncarnations(from, out);
    if (r.message() instanceof Join) {
      onJoin(from, out);
    } else if (r.message() instanceof ForwardJoin fj) {
      onForwardJoin(from, fj, out);
    } else if (r.message() instanceof Neighbor n) {
      onNeighbor(from, n, out);
    } else if (r.message() instanceof NeighborReply reply) {
      onNeighborReply(from, reply, out);
    } else if (r.message() instanceof Disconnect d) {
      onDisconnect(from, d, out);
    } else if (r.message() instanceof Shuffle s) {
      onShuffle(from, s, out);
    } else if (r.message() instanceof ShuffleReply reply) {
      integrate(reply.nodes(), lastShuffleSample);
      if (!activeView.isEmpty() && activeView.size() < activeCapacity()) {
        fillActiveView(out); // the new entries have not refused yet
      }
    }
  }

  // Join: the contact takes the joiner and starts walks of length ARWL through its other links.
  private void onJoin(NodeId joiner, Outbox out) {
    acceptIntoActive(joiner, out);
    for (NodeId peer : activeView) {
      if (!peer.equals(joiner)) {
        out.add(new Send(peer, new ForwardJoin(joiner, settings.activeRandomWalkLength())));
      }
    }
  }

  private void onForwardJoin(NodeId sender, ForwardJoin fj, Outbox out) {
    NodeId joiner = fj.joiner();
    if (unusable(joiner)) {
      return;
    }
    forgetOlderIncarnations(joiner, out);
    if (fj.ttl() <= 0 && !activeView.contains(sender)) {
      onIntroduction(joiner, out);
      return;
    }
    // Capped so that a peer cannot start a walk longer than ARWL.
    int ttl = Math.min(fj.ttl(), settings.activeRandomWalkLength());
    if (ttl <= 0 || activeView.size() <= 1) {
      acceptIntoActive(joiner, out);
      return;
    }
    if (ttl == settings.passiveRandomWalkLength()) {
      addPassive(joiner, List.of());
    }
    NodeId next = Sampling.pick(activeView, random, p -> !p.equals(sender) && !p.equals(joiner));
    if (next == null) {
      acceptIntoActive(joiner, out);
    } else {
      out.add(new Send(next, new ForwardJoin(joiner, ttl - 1)));
    }
  }

  /** Adds a joiner and tells it so with a high-priority Neighbor, which it always accepts. */
  private void acceptIntoActive(NodeId joiner, Outbox out) {
    // Sent even if the joiner is already active: it is joining again, so it may have lost us.
    addActive(joiner, out);
    out.add(new Send(joiner, new Neighbor(true)));
  }

  /**
   * A ForwardJoin with ttl 0 from outside the active view: a full node introducing a node lacking a
   * link (or a walk whose last link has just gone), since a walk ends at a neighbour of its last
   * hop. It never forces a slot: the joiner is asked with low priority if this node has a free
   * slot. Already a neighbour, it shows two linked nodes that both lack one: only a forced link
   * elsewhere can fill them (see {@link #refill}).
   */
  private void onIntroduction(NodeId joiner, Outbox out) {
    if (activeView.contains(joiner)) {
      neighbourShort = activeView.size() < activeCapacity();
    } else if (activeView.size() + pendingNeighbors.size() < activeCapacity()
        && !pendingNeighbors.contains(joiner)) {
      addPassive(joiner, List.of());
      refusedNeighbors.remove(joiner);
      askNeighbor(joiner, false, out);
    } else {
      addPassive(joiner, List.of());
    }
  }

  private void onNeighbor(NodeId from, Neighbor n, Outbox out) {
    boolean neighbour = activeView.contains(from);
    boolean accept = neighbour || n.highPriority() || activeView.size() < activeCapacity();
    if (accept) {
      addActive(from, out);
    } else {
      addPassive(from, List.of());
    }
    out.add(new Send(from, new NeighborReply(accept)));
    if (!accept) {
      introduce(from, out);
    } else if (neighbour && !n.highPriority()) {
      // A neighbour lacking a link (see refill).
      if (activeView.size() < activeCapacity()) {
        neighbourShort = true;
      } else {
        introduce(from, out);
      }
    }
  }

  /**
   * A low-priority Neighbor comes only from a node lacking a link. A full node that hears from two
   * such nodes introduces the second to the first (with a ttl-0 ForwardJoin from outside the
   * first's active view, see {@link #onIntroduction}), which asks it in turn: nodes lacking a link
   * find each other through the nodes they both ask instead of waiting for shuffles to bring them
   * into each other's passive views. Only a node outside the active view is remembered, since a
   * ForwardJoin from a neighbour is a join walk that forces a slot.
   */
  private void introduce(NodeId shortNode, Outbox out) {
    if (lastShort != null && !lastShort.equals(shortNode) && !activeView.contains(lastShort)) {
      out.add(new Send(lastShort, new ForwardJoin(shortNode, 0)));
      lastShort = null;
    } else if (!activeView.contains(shortNode)) {
      lastShort = shortNode;
    }
  }

  private void onNeighborReply(NodeId from, NeighborReply reply, Outbox out) {
    boolean wasPending = pendingNeighbors.remove(from);
    if (activeView.contains(from)) {
      return;
    }
    if (reply.accepted()) {
      if (wasPending) {
        addActive(from, out);
      } else {
        // An acceptance we no longer want: undo it so links stay symmetric.
        out.add(new Send(from, new Disconnect(false)));
      }
      return;
    }
    if (wasPending) {
      refusedNeighbors.add(from);
      fillActiveView(out);
    }
  }

  private void onDisconnect(NodeId from, Disconnect d, Outbox out) {
    boolean wasPending = pendingNeighbors.remove(from);
    if (d.leaving()) {
      passiveView.remove(from);
      knownNodes.remove(from);
    }
    if (!activeView.remove(from)) {
      if (wasPending) {
        refusedNeighbors.add(from); // dropped this node while asked: as good as a refusal
        fillActiveView(out);
      }
      return;
    }
    out.add(new Close(from));
    out.add(new NeighborDown(from, d.leaving() ? DownReason.LEFT : DownReason.EVICTED));
    if (!d.leaving()) {
      addPassive(from, List.of());
      // It has just dropped this node: asking it back now would only undo that.
      refusedNeighbors.add(from);
    }
    fillActiveView(out);
  }

  // Shuffle: walk ARWL steps through active views; the node where it stops swaps samples (see
  // shuffleReply).
  private void onShuffle(NodeId from, Shuffle s, Outbox out) {
    NodeId origin = s.origin();
    if (unusable(origin)) {
      return;
    }
    List<NodeId> nodes = truncate(s.nodes(), settings.maxShuffleNodes());
    // Clamped to 1..ARWL before decrementing: no walk longer than ARWL, no overflow below zero.
    int ttl = Math.min(Math.max(s.ttl(), 1), settings.activeRandomWalkLength()) - 1;
    if (ttl > 0 && activeView.size() > 1) {
      NodeId next = Sampling.pick(activeView, random, p -> !p.equals(from) && !p.equals(origin));
      if (next != null) {
        out.add(new Send(next, new Shuffle(origin, ttl, nodes)));
        return;
      }
    }
    List<NodeId> reply = shuffleReply(origin, nodes);
    out.add(new Send(origin, new ShuffleReply(reply)));
    integrate(nodes, reply);
  }

  /**
   * Up to as many passive members (but the origin) as the walk brought nodes, made up with active
   * members (neither the origin nor the nodes it sent) when the passive view holds fewer. A node
   * that answers a Shuffle thus names some of its neighbours, which a Join's walk names too. In a
   * small overlay nearly every node is in nearly every active view, so passive views hold a node or
   * two, often the origin's own neighbours: a short node could be left knowing only its neighbours,
   * with nobody to ask for a link and full neighbours that introduce nobody (8 nodes, 5 links each:
   * a node at 3 links for 25 s). In a large overlay passive views are full after the first shuffles
   * and the reply is the paper's.
   */
  private List<NodeId> shuffleReply(NodeId origin, List<NodeId> nodes) {
    List<NodeId> reply = Sampling.sample(passiveView, nodes.size(), random, p -> !p.equals(origin));
    if (reply.size() < nodes.size()) {
      reply = new ArrayList<>(reply);
      reply.addAll(
          Sampling.sample(
              activeView,
              nodes.size() - reply.size(),
              random,
              p -> !p.equals(origin) && !nodes.contains(p)));
    }
    return reply;
  }

  private void onTimer(MembershipTimer timer, long now, Outbox out) {
    if (timer == MembershipTimer.ShuffleTick.INSTANCE) {
      out.add(new Schedule(settings.shuffleInterval(), MembershipTimer.ShuffleTick.INSTANCE));
      refusedNeighbors.clear();
      shuffle(out);
      fillActiveView(out);
      suspects.expire(now);
      probeSuspect(out);
      joinIfStarving(out);
    } else if (timer == MembershipTimer.RefillTick.INSTANCE) {
      refillTickPending = false;
      if (isShortWithNothingPending()) {
        refill(out);
        joinIfStarving(out);
      }
    } else if (timer == MembershipTimer.JoinTick.INSTANCE) {
      if (joinState == JoinState.JOINING) {
        tryNextJoinCandidate(out);
      } else if (joinState == JoinState.BACKING_OFF) {
        joinState = JoinState.IDLE;
        if (activeView.isEmpty()) {
          startJoinRound(out);
        }
      }
    } else if (timer instanceof MembershipTimer.NeighborTimeout t
        && pendingNeighbors.remove(t.peer())) {
      passiveView.remove(t.peer());
      suspects.add(t.peer(), now);
      fillActiveView(out);
    }
  }

  /**
   * A short node with nobody left to ask (no request out after a tick asked its passive view: that
   * view is empty) may sit in a small group cut off from the overlay: after a massive failure, two,
   * three or four survivors whose other neighbours and passive members all died link to each other
   * and to nothing else, and their shuffles and introductions only go round the group. A join round
   * through its contacts and the nodes it has known, one after another until one answers, brings
   * links from elsewhere (the contact and the ends of its walks must accept). One Join per tick to
   * a random known node was too slow when most of them are dead (with 95 % failed, some pairs were
   * still apart six cycles later), and a round for nodes down to one neighbour alone left triangles
   * and 4-cliques apart for good.
   */
  private void joinIfStarving(Outbox out) {
    if (!activeView.isEmpty()
        && activeView.size() < activeCapacity()
        && pendingNeighbors.isEmpty()
        && joinState == JoinState.IDLE) {
      startJoinRound(out);
    }
  }

  /** Asks one suspect back with high priority: if it answers, a partition has healed. */
  private void probeSuspect(Outbox out) {
    if (activeView.isEmpty() || pendingNeighbors.size() >= activeCapacity()) {
      return; // refilling or re-joining already reaches out to everyone reachable
    }
    NodeId suspect =
        suspects.pick(
            random, p -> !activeView.contains(p) && !pendingNeighbors.contains(p) && !unusable(p));
    if (suspect != null) {
      askNeighbor(suspect, true, out);
    }
  }

  private void askNeighbor(NodeId peer, boolean highPriority, Outbox out) {
    pendingNeighbors.add(peer);
    out.add(new Send(peer, new Neighbor(highPriority)));
    out.add(
        new Schedule(settings.neighborRequestTimeout(), new MembershipTimer.NeighborTimeout(peer)));
  }

  private void shuffle(Outbox out) {
    NodeId target = Sampling.pick(activeView, random, p -> true);
    if (target == null) {
      return;
    }
    List<NodeId> sample = new ArrayList<>();
    sample.addAll(
        Sampling.sample(activeView, settings.shuffleActiveCount(), random, p -> !p.equals(target)));
    sample.addAll(Sampling.sample(passiveView, settings.shufflePassiveCount(), random, p -> true));
    lastShuffleSample = List.copyOf(sample);
    sample.add(0, self);
    out.add(new Send(target, new Shuffle(self, settings.activeRandomWalkLength(), sample)));
  }

  private void onLinkFailed(NodeId peer, DownReason reason, long now, Outbox out) {
    // A slow peer is alive; a lost or silent one may be across a partition.
    if (!unusable(peer)
        && (reason == DownReason.CONNECTION_LOST || reason == DownReason.HEARTBEAT_TIMEOUT)) {
      suspects.add(peer, now);
    }
    dropPeer(peer, reason, out);
  }

  private void dropPeer(NodeId peer, DownReason reason, Outbox out) {
    if (joinState == JoinState.JOINING && peer.sameAddress(joinAttempt)) {
      passiveView.remove(peer);
      tryNextJoinCandidate(out);
      return;
    }
    passiveView.remove(peer);
    boolean wasPending = pendingNeighbors.remove(peer);
    if (activeView.remove(peer)) {
      out.add(new Close(peer));
      out.add(new NeighborDown(peer, reason));
      fillActiveView(out);
    } else if (wasPending) {
      fillActiveView(out);
    }
  }

  private void onJoinOverlay(JoinOverlay j, Outbox out) {
    contacts = j.contacts().stream().filter(c -> !c.sameAddress(self)).toList();
    if (activeView.isEmpty() && !contacts.isEmpty()) {
      startJoinRound(out);
    }
  }

  private void onLeave(Outbox out) {
    for (NodeId peer : activeView) {
      out.add(new Send(peer, new Disconnect(true)));
      out.add(new Close(peer));
      out.add(new NeighborDown(peer, DownReason.LEFT));
    }
    activeView.clear();
    passiveView.clear();
    pendingNeighbors.clear();
    suspects.clear();
    joinCandidates.clear();
    joinState = JoinState.IDLE;
    left = true;
  }

  // Replacement from the passive view: one Neighbor request per free slot, high priority when the
  // active view is empty (here: has at most one member); with nobody left to ask, re-join.
  private void fillActiveView(Outbox out) {
    while (activeView.size() + pendingNeighbors.size() < activeCapacity()) {
      NodeId candidate =
          Sampling.pick(
              passiveView,
              random,
              p -> !pendingNeighbors.contains(p) && !refusedNeighbors.contains(p));
      if (candidate == null) {
        break;
      }
      askNeighbor(candidate, activeView.size() <= 1, out);
    }
    if (activeView.isEmpty() && pendingNeighbors.isEmpty() && joinState == JoinState.IDLE) {
      startJoinRound(out);
    }
  }

  /**
   * A refill tick of a node still short once its requests are answered. One free slot waits for
   * another node with one to ask or be introduced: the views' sizes sum to an even number, so a
   * lone free slot can only be filled with another, and forcing it would just move it around. So: a
   * shuffle brings passive entries that have not refused yet; a low-priority Neighbor to each
   * neighbour says this node lacks a link (a neighbour accepts it as always), so that a neighbour
   * lacking one too, which the two cannot fill with each other, forces a link elsewhere at its own
   * next tick; and the refusers are asked again, since a full node introduces only the later of two
   * nodes it refused. Two or more free slots, or a short neighbour, force one link (see {@link
   * #forceOneLink}) here rather than at once: right after a massive failure most nodes are short
   * and repair by pairing; forcing at once evicted the last links of nodes with nobody left to ask.
   */
  private void refill(Outbox out) {
    int free = activeCapacity() - activeView.size();
    if (free >= 2 || neighbourShort) {
      neighbourShort = false;
      forceOneLink(out);
    }
    refusedNeighbors.clear();
    shuffle(out);
    for (NodeId peer : activeView) {
      out.add(new Send(peer, new Neighbor(false)));
    }
    fillActiveView(out);
  }

  /**
   * Asks one passive member with high priority: it evicts a random neighbour, which is left with
   * one free slot and finds another such node through introductions.
   */
  private void forceOneLink(Outbox out) {
    NodeId target = Sampling.pick(passiveView, random, p -> !pendingNeighbors.contains(p));
    if (target != null) {
      askNeighbor(target, true, out);
    }
  }

  /**
   * Tries the contacts, then the nodes known most recently first, one at a time; a node that still
   * has a neighbour (see {@link #joinIfStarving}) skips it. The round ends at the first new link.
   */
  private void startJoinRound(Outbox out) {
    Set<NodeId> candidates = new LinkedHashSet<>(contacts);
    List<NodeId> known = new ArrayList<>(knownNodes);
    Collections.reverse(known);
    candidates.addAll(known);
    candidates.removeIf(c -> activeAt(c) != null);
    if (candidates.isEmpty()) {
      return;
    }
    joinCandidates.clear();
    joinCandidates.addAll(candidates);
    joinTried.clear();
    joinState = JoinState.JOINING;
    tryNextJoinCandidate(out);
  }

  private void tryNextJoinCandidate(Outbox out) {
    joinAttempt = joinCandidates.poll();
    if (joinAttempt == null) {
      out.add(new ContactsUnreachable(joinTried));
      out.add(new Schedule(rejoinBackoff, MembershipTimer.JoinTick.INSTANCE));
      rejoinBackoff = min(rejoinBackoff.multipliedBy(2), settings.rejoinBackoffMax());
      joinState = JoinState.BACKING_OFF;
      return;
    }
    joinTried.add(joinAttempt);
    out.add(new Send(joinAttempt, new Join()));
    out.add(new Schedule(settings.neighborRequestTimeout(), MembershipTimer.JoinTick.INSTANCE));
  }

  private void finishJoin() {
    joinState = JoinState.IDLE;
    joinAttempt = null;
    joinCandidates.clear();
    rejoinBackoff = settings.rejoinBackoffMin();
  }

  /** Adds a peer to the active view, first dropping a random member if the view is full. */
  private void addActive(NodeId peer, Outbox out) {
    if (activeView.contains(peer)) {
      return;
    }
    passiveView.remove(peer);
    pendingNeighbors.remove(peer);
    if (activeView.size() >= activeCapacity()) {
      NodeId dropped = Sampling.pick(activeView, random, p -> true);
      activeView.remove(dropped);
      out.add(new Send(dropped, new Disconnect(false)));
      out.add(new Close(dropped));
      out.add(new NeighborDown(dropped, DownReason.EVICTED));
      addPassive(dropped, List.of());
      // An answer to an earlier request may still be on its way from it, and would be taken for
      // the answer to a new one: an acceptance it has already undone.
      refusedNeighbors.add(dropped);
    }
    activeView.add(peer);
    if (activeView.size() == activeCapacity()) {
      refillBackoff = settings.rejoinBackoffMin();
      neighbourShort = false;
    }
    remember(peer);
    out.add(new Connect(peer));
    out.add(new NeighborUp(peer));
    if (joinState != JoinState.IDLE) {
      finishJoin();
    }
  }

  /**
   * Adds a node to the passive view; when full, evicts first one of {@code evictFirst} (the entries
   * this node just sent in a shuffle), else a random member.
   */
  private void addPassive(NodeId node, Collection<NodeId> evictFirst) {
    // An active member keeps its address to itself, whatever the incarnation: a newer one heard of
    // second-hand replaces it only when it shows up itself (see forgetOlderIncarnations).
    if (unusable(node) || passiveView.contains(node) || activeAt(node) != null) {
      return;
    }
    passiveView.removeAddress(node);
    if (passiveView.size() >= settings.passiveViewSize()) {
      NodeId evicted = Sampling.pick(evictFirst, random, passiveView::contains);
      if (evicted == null) {
        evicted = Sampling.pick(passiveView, random, p -> !pendingNeighbors.contains(p));
      }
      if (evicted == null) {
        return;
      }
      passiveView.remove(evicted);
    }
    passiveView.add(node);
    remember(node);
  }

  private void remember(NodeId node) {
    NodeId known = knownNodes.atAddress(node);
    if (known != null && known.incarnation() > node.incarnation()) {
      return;
    }
    knownNodes.add(node);
    if (knownNodes.size() > KNOWN_PASSIVE_VIEWS * settings.passiveViewSize()) {
      knownNodes.remove(knownNodes.iterator().next());
    }
  }

  private void integrate(List<NodeId> nodes, Collection<NodeId> evictFirst) {
    for (NodeId node : truncate(nodes, settings.maxShuffleNodes())) {
      addPassive(node, evictFirst);
    }
  }

  /**
   * Never a member: this node under any incarnation (a former life of it, still in other nodes'
   * views after a restart), a contact id, or an incarnation older than one already known.
   */
  private boolean unusable(NodeId node) {
    return node.sameAddress(self) || node.isContact() || hasNewerIncarnation(node);
  }

  private boolean hasNewerIncarnation(NodeId node) {
    NodeId active = activeAt(node);
    NodeId passive = passiveView.atAddress(node);
    return (active != null && active.incarnation() > node.incarnation())
        || (passive != null && passive.incarnation() > node.incarnation());
  }

  /** The active member at the node's address, if any: the view holds one id per address. */
  private NodeId activeAt(NodeId node) {
    return activeView.atAddress(node);
  }

  /**
   * A message from a newer incarnation proves the older one at that address is gone. Every view is
   * looked up by address, so a message costs the same whatever the views' sizes.
   */
  private void forgetOlderIncarnations(NodeId from, Outbox out) {
    removeIfOlder(passiveView, from);
    removeIfOlder(knownNodes, from);
    // A request dialled to the address is answered by whoever lives there now.
    if (removeIfOlder(pendingNeighbors, from)) {
      pendingNeighbors.add(from);
    }
    NodeId stale = activeAt(from);
    if (stale != null && stale.incarnation() < from.incarnation()) {
      dropPeer(stale, DownReason.CONNECTION_LOST, out);
    }
  }

  private static boolean removeIfOlder(AddressSet ids, NodeId newer) {
    NodeId held = ids.atAddress(newer);
    return held != null && held.incarnation() < newer.incarnation() && ids.remove(held);
  }

  private enum JoinState {
    IDLE,
    /** Trying the candidates of a round one by one. */
    JOINING,
    /** Every candidate failed; the next round starts when the backoff's JoinTick fires. */
    BACKING_OFF
  }

  private boolean isShortWithNothingPending() {
    return activeView.size() < activeCapacity() && pendingNeighbors.isEmpty();
  }

  private int activeCapacity() {
    return settings.activeViewSize();
  }

  private static List<NodeId> truncate(List<NodeId> nodes, int max) {
    return nodes.size() <= max ? nodes : nodes.subList(0, max);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
