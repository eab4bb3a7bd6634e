package dev.gossip.core.recovery;

import dev.gossip.core.Input;
import dev.gossip.core.MessageHistory;
import dev.gossip.core.MessageId;
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
import dev.gossip.core.dissemination.AlreadyDelivered;
import dev.gossip.core.dissemination.Announced;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.dissemination.EarlierAnnouncement;
import dev.gossip.core.dissemination.RequestGraft;
import dev.gossip.core.heartbeat.RttMeasured;
import dev.gossip.core.message.Digest;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.OriginSummary;
import dev.gossip.core.message.Recovered;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Message recovery. Missing-message timers follow Plumtree (Leitão et al., SRDS 2007, section 3.6):
 * the first IHave for an unknown message starts a timer; on expiry the announcer is grafted and a
 * shorter timer covers the next announcer. Beyond the paper, the timers follow the delay observed
 * from an IHave to the eager delivery, bounded by the heartbeat's round trips ({@link
 * GraftTimeout}), and a node cut off from the origin's tree (every neighbour lazy in it) grafts at
 * the first IHave, since no eager copy is on its way.
 *
 * <p>Beyond the paper, anti-entropy: every interval the node sends a {@link Digest} of what it has
 * delivered (per origin: highest sequence and gaps) to one random neighbour, which resends from its
 * bounded history what the digest lacks, except messages delivered too recently to have reached it
 * along the tree, and answers with its own digest. A node cut off for longer than the IHave window
 * thus still catches up, as long as the messages are within the history.
 */
public final class Recovery implements Role.StateMachine {

  /** An IHave that announced a missing message. */
  private record Announcer(NodeId peer, int round) {}

  /**
   * A message announced but not delivered: the peers to graft it from, the peer whose IHave first
   * announced it, which holds its slot among the {@code max-missing}, when that was, and the peers
   * grafted for it (a delivery from one of them may be the Graft's answer, not a delay sample).
   */
  private static final class Missing {
    final NodeId holder;
    final long announcedAt;
    final long deliveriesBefore;
    final Deque<Announcer> announcers = new ArrayDeque<>();
    final List<NodeId> grafted = new ArrayList<>(1);

    Missing(NodeId holder, long announcedAt, long deliveriesBefore) {
      this.holder = holder;
      this.announcedAt = announcedAt;
      this.deliveriesBefore = deliveriesBefore;
    }
  }

  /** A missing message not grafted yet, in the order of first announcement. */
  private record Ungrafted(MessageId id, Missing entry) {}

  private final RecoverySettings settings;
  private final RandomGenerator random;
  private final GraftTimeout graftTimeout;

  /** {@link RecoverySettings#resendHoldBack()} in nanoseconds. */
  private final long resendHoldBack;

  /**
   * Digests answered per neighbour per anti-entropy interval. An honest neighbour sends two per
   * period (its own request and its reply to ours); the window starts at a digest, not at the
   * period, so timer jitter can fit two more. Each answer may resend up to {@code
   * max-resend-per-digest} payloads: without a bound a neighbour sending digests in a loop could
   * multiply its traffic.
   */
  static final int DIGESTS_PER_INTERVAL = 4;

  /**
   * A neighbour: the digests answered in its current interval (when it began, and how many), and
   * the latest and the least heartbeat round trip to it since it came up, in nanoseconds (-1 before
   * one).
   */
  private static final class Neighbor {
    long intervalStart;
    int answered;
    long rtt = -1;
    long minRtt = -1;

    /** Notes a heartbeat round trip of {@code sample} nanoseconds. */
    void measured(long sample) {
      rtt = sample;
      minRtt = minRtt < 0 ? sample : Math.min(minRtt, sample);
    }

    /** Counts one digest answered at {@code now}; false if the interval's allowance is spent. */
    boolean takeDigest(long now, long interval) {
      if (answered == 0 || now - intervalStart >= interval) {
        intervalStart = now;
        answered = 0;
      }
      return ++answered <= DIGESTS_PER_INTERVAL;
    }
  }

  private final Map<NodeId, Neighbor> neighbors = new LinkedHashMap<>();
  private final LinkedHashMap<MessageId, Missing> missing = new LinkedHashMap<>();

  /**
   * Missing messages awaiting their first graft, oldest announcement first; entries delivered,
   * dropped or grafted meanwhile are skipped when met and purged when they outnumber the live ones.
   */
  private final Deque<Ungrafted> ungrafted = new ArrayDeque<>();

  /** Messages delivered here: ages missing messages by traffic as well as by time. */
  private long deliveries;

  /** Slots of {@link #missing} held per peer, so a full table evicts from the largest holder. */
  private final Map<NodeId, Integer> slotsHeld = new HashMap<>();

  private final MessageHistory history;

  /** Access-ordered: the least recently delivered-from origin is forgotten first. */
  private final LinkedHashMap<NodeId, OriginLog> origins = new LinkedHashMap<>(16, 0.75f, true);

  public Recovery(RecoverySettings settings, RandomGenerator random) {
    this.settings = settings;
    this.random = random;
    this.graftTimeout = new GraftTimeout(settings);
    this.resendHoldBack = settings.resendHoldBack().toNanos();
    this.history =
        new MessageHistory(
            settings.historyCapacity(),
            settings.historyBytes(),
            settings.historyRetention().toNanos());
  }

  /** Messages announced but not delivered, with a timer running. */
  public Set<MessageId> missing() {
    return Collections.unmodifiableSet(missing.keySet());
  }

  public MessageHistory history() {
    return history;
  }

  /**
   * The wait before grafting a message announced at {@code now} by a peer of unknown round trip.
   */
  public Duration graftTimeout(long now) {
    return graftTimeout.first(now, -1, -1);
  }

  /** The latest round trip to {@code peer} in nanoseconds, or -1 if unknown. */
  private long rtt(NodeId peer) {
    Neighbor neighbor = neighbors.get(peer);
    return neighbor == null ? -1 : neighbor.rtt;
  }

  /** The wait after a first IHave from {@code announcer}, given its round trips if known. */
  private Duration firstWait(NodeId announcer, long now) {
    Neighbor neighbor = neighbors.get(announcer);
    return neighbor == null
        ? graftTimeout.first(now, -1, -1)
        : graftTimeout.first(now, neighbor.rtt, neighbor.minRtt);
  }

  public int originCount() {
    return origins.size();
  }

  /** The digest this node would send now: one summary per origin it keeps a log of. */
  public Digest digest(boolean replyWanted) {
    List<OriginSummary> summaries = new ArrayList<>(origins.size());
    origins.forEach((origin, log) -> summaries.add(log.summary(origin)));
    return new Digest(summaries, replyWanted);
  }

  @Override
  public void handle(Input input, long now, Outbox out) {
    if (input instanceof Announced a) {
      onAnnounced(a, now, out);
    } else if (input instanceof Delivered d) {
      onDelivered(d, now, out);
    } else if (input instanceof AlreadyDelivered a) {
      record(a.id(), now);
    } else if (input instanceof TimerExpired t && t.timer() instanceof RecoveryTimer timer) {
      onTimer(timer, now, out);
    } else if (input instanceof Received r && r.message() instanceof Digest digest) {
      onDigest(r.from(), digest, now, out);
    } else if (input instanceof RttMeasured m) {
      Neighbor neighbor = neighbors.get(m.peer());
      if (neighbor != null) {
        neighbor.measured(m.sample().toNanos());
      }
    } else if (input instanceof NeighborUp up) {
      neighbors.putIfAbsent(up.peer(), new Neighbor());
    } else if (input instanceof NeighborDown down) {
      onNeighborDown(down.peer());
    } else if (input == Start.INSTANCE) {
      out.add(
          Schedule.firstOfPeriodic(
              settings.antiEntropyInterval(), RecoveryTimer.AntiEntropyTick.INSTANCE, random));
    }
  }

  private void onAnnounced(Announced a, long now, Outbox out) {
    // No eager copy is on its way to a node cut off from the origin's tree: graft at once. Unless
    // this role has not heard of the announcer as a neighbour yet (dissemination may hear first):
    // then the timer grafts it later.
    boolean graftNow = a.cutOff() && neighbors.containsKey(a.peer());
    Missing entry = missing.get(a.id());
    if (entry == null) {
      if (history.get(a.id()) != null) {
        return; // delivered already: a late or duplicate announcement
      }
      if (missing.size() >= settings.maxMissing()) {
        evictFromLargestHolder();
      }
      entry = new Missing(a.peer(), now, deliveries);
      missing.put(a.id(), entry);
      slotsHeld.merge(a.peer(), 1, Integer::sum);
      if (!graftNow) {
        awaitFirstGraft(new Ungrafted(a.id(), entry));
        out.add(new Schedule(firstWait(a.peer(), now), new RecoveryTimer.MissingTimeout(a.id())));
      }
    }
    if (entry.announcers.size() < settings.maxAnnouncers()
        && !announcedBy(entry.announcers, a.peer())) {
      entry.announcers.add(new Announcer(a.peer(), a.round()));
    }
    if (graftNow && entry.grafted.isEmpty()) {
      // The first announcer kept that is a neighbour; its second timer replaces a running first.
      graftNext(a.id(), entry, now, out);
    }
  }

  /**
   * Makes room by forgetting the oldest missing id of the peer holding the most slots: a peer
   * announcing ids that never arrive (a flood, or a broken peer) then evicts its own entries, not
   * the ones other peers announced whose graft timers are still running. Anti-entropy still covers
   * whatever is forgotten.
   */
  private void evictFromLargestHolder() {
    NodeId largest = null;
    int most = 0;
    for (Map.Entry<NodeId, Integer> e : slotsHeld.entrySet()) {
      if (e.getValue() > most) {
        largest = e.getKey();
        most = e.getValue();
      }
    }
    for (Map.Entry<MessageId, Missing> e : missing.entrySet()) {
      if (e.getValue().holder.equals(largest)) {
        removeMissing(e.getKey());
        return;
      }
    }
  }

  /** Forgets a missing id and frees its holder's slot; null if it was not missing. */
  private Missing removeMissing(MessageId id) {
    Missing entry = missing.remove(id);
    if (entry != null) {
      slotsHeld.computeIfPresent(entry.holder, (peer, n) -> n == 1 ? null : n - 1);
    }
    return entry;
  }

  private static boolean announcedBy(Deque<Announcer> announcers, NodeId peer) {
    for (Announcer a : announcers) {
      if (a.peer().equals(peer)) {
        return true;
      }
    }
    return false;
  }

  private void onDelivered(Delivered d, long now, Outbox out) {
    deliveries++;
    Missing entry = removeMissing(d.id());
    if (entry != null) {
      if (!entry.grafted.contains(d.from())) {
        graftTimeout.sample(now - entry.announcedAt, now);
      }
      reportShortestAnnouncement(d, entry.announcers, out);
    } else if (d.hops() > 0) {
      graftTimeout.eagerFirst(now);
    }
    history.put(d.id(), d.hops(), d.payload(), now);
    record(d.id(), now);
    graftOverdue(now, out);
  }

  private void awaitFirstGraft(Ungrafted u) {
    ungrafted.add(u);
    if (ungrafted.size() > 2 * settings.maxMissing()) {
      ungrafted.removeIf(this::settled);
    }
  }

  private boolean settled(Ungrafted u) {
    return missing.get(u.id()) != u.entry() || !u.entry().grafted.isEmpty();
  }

  /**
   * Grafts, before their timers fire, the missing messages announced more than half of {@code
   * history-capacity} deliveries ago. Under heavy traffic an adapted timeout can outlast the
   * announcer's payload cache and history (4,096 messages each by default): a graft later than that
   * finds the message nowhere.
   */
  private void graftOverdue(long now, Outbox out) {
    long overdue = Math.max(1, settings.historyCapacity() / 2);
    while (!ungrafted.isEmpty()) {
      Ungrafted head = ungrafted.peek();
      if (!settled(head) && deliveries - head.entry().deliveriesBefore < overdue) {
        return;
      }
      ungrafted.poll();
      if (!settled(head)) {
        graftNext(head.id(), head.entry(), now, out);
      }
    }
  }

  /** Notes a delivered sequence in its origin's log, starting a log for a new origin. */
  private void record(MessageId id, long now) {
    OriginLog log = origins.get(id.origin());
    if (log != null) {
      log.record(id.sequence(), now);
      return;
    }
    origins.put(id.origin(), new OriginLog(id.sequence(), settings.maxGapsPerOrigin(), now));
    if (origins.size() > settings.maxOrigins()) {
      Iterator<NodeId> eldest = origins.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }

  /**
   * The paper's optimisation trigger (SRDS 2007, section 3.8): the message arrived eagerly although
   * a lazy link had announced it with fewer hops; dissemination decides whether to rewire.
   */
  private static void reportShortestAnnouncement(
      Delivered d, Deque<Announcer> announcers, Outbox out) {
    Announcer best = null;
    for (Announcer a : announcers) {
      if (best == null || a.round() < best.round()) {
        best = a;
      }
    }
    if (best != null && best.round() < d.hops()) {
      out.add(new EarlierAnnouncement(d.id(), best.peer(), best.round()));
    }
  }

  private void onTimer(RecoveryTimer timer, long now, Outbox out) {
    if (timer instanceof RecoveryTimer.MissingTimeout t) {
      Missing entry = missing.get(t.id());
      if (entry != null) {
        graftNext(t.id(), entry, now, out);
      }
    } else if (timer == RecoveryTimer.AntiEntropyTick.INSTANCE) {
      out.add(new Schedule(settings.antiEntropyInterval(), RecoveryTimer.AntiEntropyTick.INSTANCE));
      expire(now);
      NodeId partner = Sampling.pick(neighbors.keySet(), random, p -> true);
      if (partner != null) {
        out.add(new Send(partner, digest(true)));
      }
    }
  }

  /** Grafts the next announcer of a missing message and starts the second timer. */
  private void graftNext(MessageId id, Missing entry, long now, Outbox out) {
    // An announcer may have gone down before its announcement reached this role.
    Announcer next = entry.announcers.poll();
    while (next != null && !neighbors.containsKey(next.peer())) {
      next = entry.announcers.poll();
    }
    if (next == null) {
      removeMissing(id);
      return;
    }
    entry.grafted.add(next.peer());
    out.add(new RequestGraft(id, next.peer()));
    out.add(
        new Schedule(
            graftTimeout.second(now, rtt(next.peer())), new RecoveryTimer.MissingTimeout(id)));
  }

  private void expire(long now) {
    history.expire(now);
    long retention = settings.historyRetention().toNanos();
    origins.values().removeIf(log -> now - log.updatedAt() >= retention);
    for (OriginLog log : origins.values()) {
      log.expire(now, retention);
    }
  }

  /**
   * Resends, oldest first, what the digest's sender lacks, and answers with our digest if asked.
   * Messages delivered here less than {@link #resendHoldBack} ago are left to the next digest: a
   * digest lists only what its sender delivered, so they are most likely still on their way to it
   * along the tree, or announced to it and fetched by its own graft timers within that time. A
   * resend would overtake the tree's copy, and a node delivering a resend announces it instead of
   * pushing it, so every node below it in the tree would wait for a graft timer. Under heavy
   * traffic the history may drop a message sooner than that, so the older half of it (by count or
   * by bytes) is resent whatever its age.
   */
  private void onDigest(NodeId from, Digest digest, long now, Outbox out) {
    Neighbor neighbor = neighbors.get(from);
    if (neighbor == null || !neighbor.takeDigest(now, settings.antiEntropyInterval().toNanos())) {
      return;
    }
    if (digest.replyWanted()) {
      out.add(new Send(from, digest(false)));
    }
    List<OriginSummary> summaries = digest.origins();
    int n = Math.min(summaries.size(), settings.maxOrigins());
    Map<NodeId, OriginSummary> theirs = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      OriginSummary s = summaries.get(i);
      if (s.gaps().size() <= settings.maxGapsPerOrigin()) {
        theirs.put(s.origin(), s);
      }
    }
    int resent = 0;
    int newer = history.size();
    long newerBytes = history.bytes();
    for (MessageHistory.Entry e : history.entries()) {
      newer--;
      newerBytes -= e.payload().length;
      boolean leavingSoon =
          newer >= settings.historyCapacity() / 2 || newerBytes >= settings.historyBytes() / 2;
      if (now - e.storedAt() < resendHoldBack && !leavingSoon) {
        continue;
      }
      OriginSummary summary = theirs.get(e.id().origin());
      if (summary == null || !summary.has(e.id().sequence())) {
        out.add(new Send(from, new Recovered(new Gossip(e.id(), e.round() + 1, e.payload()))));
        if (++resent >= settings.maxResendPerDigest()) {
          return;
        }
      }
    }
  }

  private void onNeighborDown(NodeId peer) {
    neighbors.remove(peer);
    // The messages that came through it now come only by Graft: no queue is worth waiting for.
    graftTimeout.reset();
    for (Missing entry : missing.values()) {
      entry.announcers.removeIf(a -> a.peer().equals(peer));
    }
  }
}
