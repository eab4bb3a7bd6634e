package dev.gossip.core.dissemination;

import static dev.gossip.core.testing.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gossip.core.DownReason;
import dev.gossip.core.Input;
import dev.gossip.core.MessageHistory;
import dev.gossip.core.MessageId;
import dev.gossip.core.NeighborDown;
import dev.gossip.core.NeighborUp;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import dev.gossip.core.Received;
import dev.gossip.core.Schedule;
import dev.gossip.core.Send;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.heartbeat.RttMeasured;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Graft;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.Prune;
import dev.gossip.core.message.Recovered;
import dev.gossip.core.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random operations against one Plumtree with small bounds; after every step the invariants
 * of the role are checked. A failure names the seed and the step, so it replays exactly.
 */
class PlumtreeRandomizedTest {

  private static final int STEPS = 100_000;
  private static final int PEERS = 20;
  private static final NodeId SELF = node(0);

  /** A node that is never a neighbour. */
  private static final NodeId STRANGER = node(99);

  private static final Duration IHAVE_INTERVAL = Duration.ofMillis(5);
  private static final Duration MAX_IHAVE_INTERVAL = Duration.ofMillis(40);
  private static final int MAX_BATCH = 16;
  private static final int THRESHOLD = 3;
  private static final int SEEN_CAPACITY = 500;
  private static final long SEEN_RETENTION = Duration.ofSeconds(2).toNanos();
  private static final int CACHE_CAPACITY = 50;
  private static final long CACHE_BYTES = 2_000;
  private static final long CACHE_RETENTION = Duration.ofMillis(300).toNanos();

  private static final PlumtreeSettings SETTINGS =
      new PlumtreeSettings(
          IHAVE_INTERVAL,
          MAX_IHAVE_INTERVAL,
          MAX_BATCH,
          THRESHOLD,
          SEEN_CAPACITY,
          Duration.ofNanos(SEEN_RETENTION),
          CACHE_CAPACITY,
          CACHE_BYTES,
          Duration.ofNanos(CACHE_RETENTION));

  /** One delivery observed in the outbox: when, as the how-manyth delivery, at which hops. */
  private record Delivery(long at, long index, int hops) {}

  /** The eager path of a delivered message: the peer that pushed it and the round it came with. */
  private record Path(NodeId sender, int round) {}

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 0x5EED_CAFEL, -7_046_029_254_386_353_131L})
  void invariantsHoldAfterEveryRandomStep(long seed) {
    new Run(seed).run();
  }

  private static final class Run {
    private final long seed;
    private final SplittableRandom random;
    private final Plumtree plumtree = new Plumtree(SELF, SETTINGS);
    private final Recorder out = new Recorder();

    private final List<NodeId> peers = new ArrayList<>();
    private final List<NodeId> origins = new ArrayList<>();
    private final Set<NodeId> neighbours = new LinkedHashSet<>();
    private final Map<NodeId, Long> nextSequence = new HashMap<>();
    private final Map<MessageId, List<Delivery>> deliveries = new HashMap<>();
    private final List<MessageId> delivered = new ArrayList<>();
    private final List<MessageId> announced = new ArrayList<>();
    private final List<MessageId> grafted = new ArrayList<>();

    /**
     * For each id delivered by an eager push, that push's path, moved by the optimisation; absent
     * for a broadcast or an anti-entropy resend.
     */
    private final Map<MessageId, Path> eagerPath = new HashMap<>();

    /** Ids whose last delivery answered a fetch. */
    private final Set<MessageId> fetched = new HashSet<>();

    /** Ids whose last delivery was an anti-entropy resend that no eager copy has followed yet. */
    private final Set<MessageId> resent = new HashSet<>();

    /**
     * Fetches awaiting their answer, the announcer asked for each, bounded and ordered as the
     * role's.
     */
    private final Map<MessageId, NodeId> fetches =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<MessageId, NodeId> eldest) {
            return size() > Plumtree.MAX_TRACKED;
          }
        };

    /** Per origin, the peer of its last eager first delivery, moved by the optimisation. */
    private final Map<NodeId, NodeId> parent = new HashMap<>();

    /** Origins whose last first delivery answered a fetch the tree has not followed. */
    private final Set<NodeId> treeFetched = new HashSet<>();

    /** Whether the origin's tree delivered it here before this step: a Graft only fetches. */
    private boolean delivers;

    /** The lazy peers of the step's origin before the step. */
    private Set<NodeId> lazyBeforeStep;

    /** Whether the step's Graft was a fetch from a lazy announcer, which a Prune must follow. */
    private boolean fetchPruned;

    private NodeId optimisationGraft;
    private long deliveryCount;
    private long now;

    /** Neighbours whose flush timer is pending, and the wait each one's next flush must have. */
    private final Set<NodeId> flushPending = new HashSet<>();

    private final Map<NodeId, Duration> flushWait = new HashMap<>();

    /** Neighbours with announcements queued before the step, and those it scheduled a flush for. */
    private final Set<NodeId> queuedBefore = new HashSet<>();

    private final Set<NodeId> scheduledNow = new HashSet<>();
    private int step;
    private Input input;

    // Coverage counters: the run must have exercised the interesting paths.
    private final TreeMap<String, Integer> coverage = new TreeMap<>();

    Run(long seed) {
      this.seed = seed;
      this.random = new SplittableRandom(seed);
      for (int i = 1; i <= PEERS; i++) {
        peers.add(node(i));
        origins.add(node(i));
      }
      for (int i = 100; i < 105; i++) {
        origins.add(node(i));
      }
    }

    void run() {
      for (step = 0; step < STEPS; step++) {
        advanceTime();
        input = nextInput();
        NodeId origin = originOf(input);
        Set<NodeId> eagerBefore =
            new LinkedHashSet<>(origin == null ? Set.of() : plumtree.eagerPeers(origin));
        Set<NodeId> lazyBefore =
            new LinkedHashSet<>(origin == null ? Set.of() : plumtree.lazyPeers(origin));
        Map<NodeId, Set<NodeId>> treesBefore = trees();
        NodeId upstream = origin == null ? null : parent.get(origin);
        delivers =
            upstream != null
                && !treeFetched.contains(origin)
                && neighbours.contains(upstream)
                && !lazyBefore.contains(upstream);
        lazyBeforeStep = lazyBefore;
        fetchPruned = false;
        queuedBefore.clear();
        for (NodeId peer : neighbours) {
          if (plumtree.queuedAnnouncements(peer) > 0) {
            queuedBefore.add(peer);
          }
        }
        scheduledNow.clear();
        if (input instanceof NeighborUp up) {
          if (neighbours.add(up.peer())) {
            flushWait.put(up.peer(), IHAVE_INTERVAL);
          }
        } else if (input instanceof NeighborDown down) {
          neighbours.remove(down.peer());
          flushWait.remove(down.peer());
        } else if (input instanceof RttMeasured m && neighbours.contains(m.peer())) {
          flushWait.put(
              m.peer(),
              clamp(m.sample().compareTo(m.smoothedRtt()) < 0 ? m.sample() : m.smoothedRtt()));
        } else if (input instanceof TimerExpired t && t.timer() instanceof IHaveFlush f) {
          flushPending.remove(f.peer());
        }
        plumtree.handle(input, now, out);
        check(out.take(), origin, eagerBefore, lazyBefore, treesBefore);
      }
      for (String path :
          List.of(
              "announced",
              "announced cut off",
              "delivered again after eviction",
              "duplicate pruned",
              "fetched delivery",
              "fetch from an eager announcer",
              "fetch's late answer kept",
              "late copy of a fetched message kept",
              "tree's copy of a resent message kept",
              "lazy pusher pruned again",
              "flush sent",
              "flush rescheduled after a full batch",
              "full batch sent at once",
              "graft resent",
              "optimisation",
              "request graft",
              "recovered delivered",
              "ihave truncated")) {
        assertTrue(
            coverage.getOrDefault(path, 0) > 0,
            () -> "seed=" + seed + " never exercised: " + path + " " + coverage);
      }
    }

    /** The flush wait a link of round trip {@code rtt} sets: the round trip, within the bounds. */
    private static Duration clamp(Duration rtt) {
      if (rtt.compareTo(IHAVE_INTERVAL) < 0) {
        return IHAVE_INTERVAL;
      }
      return rtt.compareTo(MAX_IHAVE_INTERVAL) > 0 ? MAX_IHAVE_INTERVAL : rtt;
    }

    // ---- input generation ------------------------------------------------------------------

    private void advanceTime() {
      if (random.nextInt(5_000) == 0) {
        now += random.nextLong(SEEN_RETENTION * 2);
      } else {
        now += random.nextLong(2_000_000);
      }
    }

    private Input nextInput() {
      int dice = random.nextInt(100);
      if (dice < 4) {
        return new NeighborUp(anyPeer());
      } else if (dice < 7) {
        return new NeighborDown(
            random.nextInt(4) == 0 ? anyPeer() : someNeighbourOrPeer(),
            DownReason.values()[random.nextInt(DownReason.values().length)]);
      } else if (dice < 32) {
        // Now and then the answer to a Graft, or a late copy of it.
        MessageId id =
            !grafted.isEmpty() && random.nextInt(4) == 0 ? recent(grafted, 20) : someId();
        return new Received(sender(), new Gossip(id, random.nextInt(1, 20), payload()));
      } else if (dice < 47) {
        return new Received(sender(), ihave());
      } else if (dice < 55) {
        return new Received(sender(), graft());
      } else if (dice < 60) {
        return new Received(sender(), new Prune(pruneOrigin()));
      } else if (dice < 68) {
        return new Received(sender(), new Recovered(someId(), random.nextInt(0, 20), payload()));
      } else if (dice < 73) {
        return new Broadcast(payload());
      } else if (dice < 82) {
        MessageId id =
            !announced.isEmpty() && random.nextInt(4) != 0 ? recent(announced, 200) : someId();
        grafted.add(id);
        return new RequestGraft(id, sender());
      } else if (dice < 86) {
        // Mostly a pending flush; now and then a stale one, whose batch went out full or whose
        // peer went down.
        NodeId peer =
            !flushPending.isEmpty() && random.nextInt(4) != 0
                ? List.copyOf(flushPending).get(random.nextInt(flushPending.size()))
                : anyPeer();
        return new TimerExpired(new IHaveFlush(peer));
      } else if (dice < 88) {
        long range = 2 * MAX_IHAVE_INTERVAL.toNanos();
        return new RttMeasured(
            random.nextInt(4) == 0 ? anyPeer() : someNeighbourOrPeer(),
            Duration.ofNanos(random.nextLong(range)),
            Duration.ofNanos(random.nextLong(range)));
      }
      return new Received(sender(), new Gossip(someId(), random.nextInt(1, 20), payload()));
    }

    private NodeId anyPeer() {
      return peers.get(random.nextInt(peers.size()));
    }

    private NodeId someNeighbourOrPeer() {
      if (neighbours.isEmpty()) {
        return anyPeer();
      }
      int index = random.nextInt(neighbours.size());
      for (NodeId peer : neighbours) {
        if (index-- == 0) {
          return peer;
        }
      }
      throw new AssertionError();
    }

    /** Mostly a neighbour, sometimes a non-neighbour peer, the stranger or this node itself. */
    private NodeId sender() {
      int dice = random.nextInt(100);
      if (dice < 80) {
        return someNeighbourOrPeer();
      } else if (dice < 92) {
        return anyPeer();
      } else if (dice < 96) {
        return STRANGER;
      }
      return SELF;
    }

    /**
     * A known id (delivered recently or long ago), a brand new one, or an arbitrary sequence that
     * may or may not have been seen. Origins are other nodes: this node alone numbers its own.
     */
    private MessageId someId() {
      int dice = random.nextInt(100);
      if (dice < 40 && !delivered.isEmpty()) {
        return recent(delivered, 100);
      } else if (dice < 50 && !delivered.isEmpty()) {
        return delivered.get(random.nextInt(delivered.size()));
      } else if (dice < 85) {
        NodeId origin = origins.get(random.nextInt(origins.size()));
        long sequence = nextSequence.merge(origin, 1L, Long::sum);
        return new MessageId(origin, sequence);
      }
      NodeId origin = origins.get(random.nextInt(origins.size()));
      return new MessageId(origin, 1 + random.nextLong(nextSequence.getOrDefault(origin, 1L) + 5));
    }

    private MessageId recent(List<MessageId> ids, int window) {
      return ids.get(ids.size() - 1 - random.nextInt(Math.min(window, ids.size())));
    }

    private byte[] payload() {
      // Now and then larger than the whole cache byte bound.
      int length = random.nextInt(50) == 0 ? (int) CACHE_BYTES + 1 : random.nextInt(120);
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      return bytes;
    }

    private IHave ihave() {
      boolean flood = random.nextInt(30) == 0;
      int size = flood ? random.nextInt(MAX_BATCH * 4, MAX_BATCH * 40) : random.nextInt(1, 6);
      List<Announcement> announcements = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        announcements.add(new Announcement(someId(), random.nextInt(0, 20)));
      }
      return new IHave(announcements);
    }

    private NodeId anyOrigin() {
      return random.nextInt(8) == 0 ? SELF : origins.get(random.nextInt(origins.size()));
    }

    /** Mostly the origin of a recent delivery, whose tree the next messages use. */
    private NodeId pruneOrigin() {
      return !delivered.isEmpty() && random.nextInt(10) < 7
          ? recent(delivered, 20).origin()
          : anyOrigin();
    }

    /** A Graft for one origin's ids: recently delivered ones, or any. */
    private Graft graft() {
      int size =
          random.nextInt(10) == 0 ? random.nextInt(MAX_BATCH, MAX_BATCH * 6) : random.nextInt(6);
      MessageId first = !delivered.isEmpty() && random.nextBoolean() ? recent(delivered, 60) : null;
      NodeId origin = first == null ? anyOrigin() : first.origin();
      List<MessageId> ids = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        MessageId id = i == 0 && first != null ? first : someId();
        if (id.origin().equals(origin)) {
          ids.add(id);
        }
      }
      return new Graft(origin, ids);
    }

    /** The origin whose tree the input concerns, or null. */
    private static NodeId originOf(Input input) {
      if (input instanceof Broadcast) {
        return SELF;
      } else if (input instanceof RequestGraft g) {
        return g.id().origin();
      } else if (input instanceof Received r && r.message() instanceof Gossip g) {
        return g.id().origin();
      } else if (input instanceof Received r && r.message() instanceof Graft g) {
        return g.origin();
      } else if (input instanceof Received r && r.message() instanceof Prune p) {
        return p.origin();
      }
      return null;
    }

    /** Every origin's lazy peers. */
    private Map<NodeId, Set<NodeId>> trees() {
      Map<NodeId, Set<NodeId>> trees = new HashMap<>();
      for (NodeId origin : origins) {
        trees.put(origin, Set.copyOf(plumtree.lazyPeers(origin)));
      }
      trees.put(SELF, Set.copyOf(plumtree.lazyPeers(SELF)));
      return trees;
    }

    // ---- invariants ------------------------------------------------------------------------

    private String where() {
      return "seed=" + seed + " step=" + step + " now=" + now + " input=" + input + ": ";
    }

    private void check(String what, boolean condition) {
      if (!condition) {
        fail(where() + what);
      }
    }

    private void count(String path) {
      coverage.merge(path, 1, Integer::sum);
    }

    /** Whether the seen bound may have forgotten this earlier delivery by now. */
    private boolean mayBeForgotten(Delivery d) {
      long deliveriesSince = deliveryCount - d.index() - 1;
      return deliveriesSince >= SEEN_CAPACITY || now - d.at() >= SEEN_RETENTION;
    }

    private Delivery lastDelivery(MessageId id) {
      List<Delivery> list = deliveries.get(id);
      return list == null ? null : list.get(list.size() - 1);
    }

    private void check(
        List<Output> outputs,
        NodeId origin,
        Set<NodeId> eagerBefore,
        Set<NodeId> lazyBefore,
        Map<NodeId, Set<NodeId>> treesBefore) {
      // Views: each origin splits the neighbours, and so do the union views.
      checkSplit("", plumtree.eagerPeers(), plumtree.lazyPeers());
      check(
          "peer counts " + plumtree.eagerPeerCount() + "/" + plumtree.lazyPeerCount(),
          plumtree.eagerPeerCount() == plumtree.eagerPeers().size()
              && plumtree.lazyPeerCount() == plumtree.lazyPeers().size());
      for (NodeId o : treesBefore.keySet()) {
        checkSplit(o + ": ", plumtree.eagerPeers(o), plumtree.lazyPeers(o));
      }
      checkOtherTreesUnchanged(outputs, origin, treesBefore);
      Set<NodeId> eager = origin == null ? Set.of() : plumtree.eagerPeers(origin);
      Set<NodeId> lazy = origin == null ? Set.of() : plumtree.lazyPeers(origin);

      // Bounds.
      check("seen count " + plumtree.seenCount(), plumtree.seenCount() <= SEEN_CAPACITY);
      MessageHistory cache = plumtree.cache();
      check("cache size " + cache.size(), cache.size() <= CACHE_CAPACITY);
      check("cache bytes " + cache.bytes(), cache.bytes() <= CACHE_BYTES);
      long sum = 0;
      for (MessageHistory.Entry e : cache.entries()) {
        sum += e.payload().length;
      }
      check("cache bytes " + cache.bytes() + " != stored payloads " + sum, sum == cache.bytes());
      int queued = plumtree.queuedAnnouncements();
      check("queued announcements " + queued, queued <= neighbours.size() * MAX_BATCH);

      // Outputs.
      NodeId receivedFrom = input instanceof Received r ? r.from() : null;
      Object message = input instanceof Received r ? r.message() : null;
      List<NodeId> gossipTargets = new ArrayList<>();
      MessageId deliveredNow = null;
      int announcedNow = 0;
      for (Output output : outputs) {
        if (output instanceof Send send) {
          checkSend(send, receivedFrom, message, gossipTargets);
        } else if (output instanceof Schedule s) {
          check("unexpected schedule " + s, s.timer() instanceof IHaveFlush);
          NodeId peer = ((IHaveFlush) s.timer()).peer();
          check("flush scheduled for a non-neighbour " + s, neighbours.contains(peer));
          check("flush scheduled for a batch already queued " + s, !queuedBefore.contains(peer));
          scheduledNow.add(peer);
          check(
              "flush delay " + s.delay() + ", expected " + flushWait.get(peer),
              s.delay().equals(flushWait.get(peer)));
          if (!flushPending.add(peer)) {
            count("flush rescheduled after a full batch");
          }
        } else if (output instanceof Delivered d) {
          check("two deliveries in one step", deliveredNow == null);
          deliveredNow = d.id();
          onDelivered(d, receivedFrom, message);
        } else if (output instanceof Announced a) {
          announcedNow++;
          onAnnounced(a, receivedFrom, message);
        } else if (output instanceof AlreadyDelivered a) {
          // Only a neighbour's resend of a message still remembered as seen.
          check(
              "AlreadyDelivered for " + message,
              message instanceof Recovered r
                  && r.id().equals(a.id())
                  && neighbours.contains(receivedFrom)
                  && deliveredNow == null);
          count("resend of a delivered message");
        } else {
          check("unexpected output " + output, false);
        }
      }
      check("optimisation graft without its prune", optimisationGraft == null);
      check(
          "flush waits kept for " + plumtree.flushPeers() + ", neighbours " + neighbours,
          plumtree.flushPeers().equals(neighbours));
      for (NodeId peer : neighbours) {
        int queuedForPeer = plumtree.queuedAnnouncements(peer);
        check(
            "a new batch for " + peer + " without its flush",
            queuedForPeer == 0 || queuedBefore.contains(peer) || scheduledNow.contains(peer));
        check(
            "announcements for " + peer + " left queued by its flush",
            queuedForPeer == 0
                || !(input instanceof TimerExpired t
                    && ((IHaveFlush) t.timer()).peer().equals(peer)));
      }
      check("too many Announced " + announcedNow, announcedNow <= MAX_BATCH);
      if (announcedNow > 0 && message instanceof IHave i && i.announcements().size() > MAX_BATCH) {
        count("ihave truncated");
      }

      // Eager push: every eager peer but the sender, on a first receipt or a broadcast; a fetched
      // message (from the announcer asked, or a lazy peer, while a fetch waits) is announced
      // instead to the origin's parent.
      boolean fetchedNow = false;
      if (deliveredNow != null && message instanceof Gossip) {
        NodeId asked = fetches.get(deliveredNow);
        fetchedNow =
            asked != null && (asked.equals(receivedFrom) || lazyBefore.contains(receivedFrom));
        fetches.remove(deliveredNow, receivedFrom);
        check(
            "sender of a fetched delivery changed sets",
            !fetchedNow || lazyBefore.contains(receivedFrom) == lazy.contains(receivedFrom));
        if (fetchedNow) {
          treeFetched.add(origin);
        } else if (neighbours.contains(receivedFrom)) {
          check("first sender not eager", eager.contains(receivedFrom));
          parent.put(origin, receivedFrom);
          treeFetched.remove(origin);
        }
      }
      if (deliveredNow != null) {
        if (fetchedNow) {
          fetched.add(deliveredNow);
          count("fetched delivery");
        } else {
          fetched.remove(deliveredNow);
        }
      }
      if (deliveredNow != null && (message instanceof Gossip || input instanceof Broadcast)) {
        List<NodeId> expected = new ArrayList<>(eager);
        expected.remove(receivedFrom);
        if (fetchedNow) {
          expected.remove(parent.get(origin));
        }
        check(
            "gossip forwarded to " + gossipTargets + ", eager peers but the sender are " + expected,
            gossipTargets.equals(expected));
      }
      if (message instanceof Gossip g
          && deliveredNow == null
          && neighbours.contains(receivedFrom)) {
        if (fetches.remove(g.id(), receivedFrom)) {
          check("fetch's late answer produced " + outputs, outputs.isEmpty());
          check(
              "fetch's late answer changed its sender's set",
              lazyBefore.contains(receivedFrom) == lazy.contains(receivedFrom));
          count("fetch's late answer kept");
        } else if (eagerBefore.contains(receivedFrom) && fetched.contains(g.id())) {
          check("late copy of a fetched message produced " + outputs, outputs.isEmpty());
          check("late copy's sender no longer eager", eager.contains(receivedFrom));
          treeFetched.remove(origin);
          count("late copy of a fetched message kept");
        } else if (eagerBefore.contains(receivedFrom) && resent.remove(g.id())) {
          check("tree's copy of a resent message produced " + outputs, outputs.isEmpty());
          check("tree's copy's sender no longer eager", eager.contains(receivedFrom));
          eagerPath.put(g.id(), new Path(receivedFrom, g.round()));
          parent.put(origin, receivedFrom);
          treeFetched.remove(origin);
          count("tree's copy of a resent message kept");
        } else if (eagerBefore.contains(receivedFrom)) {
          check(
              "duplicate from eager peer: expected one Prune, got " + outputs,
              outputs.equals(List.of(new Send(receivedFrom, new Prune(origin)))));
          check("duplicate sender still eager", lazy.contains(receivedFrom));
          count("duplicate pruned");
        } else if (lazyBefore.contains(receivedFrom)) {
          check(
              "duplicate from lazy peer: expected one Prune, got " + outputs,
              outputs.equals(List.of(new Send(receivedFrom, new Prune(origin)))));
          count("lazy pusher pruned again");
        }
      } else if (message instanceof Gossip && deliveredNow == null) {
        check("duplicate from a non-neighbour produced " + outputs, outputs.isEmpty());
      }
      if (message instanceof Recovered && deliveredNow != null) {
        count("recovered delivered");
        check("recovered changed the trees", trees().equals(treesBefore));
      }
      if (input instanceof RequestGraft rg && !outputs.isEmpty()) {
        Send graft = new Send(rg.announcer(), Graft.of(rg.id()));
        check(
            "request graft sent " + outputs,
            outputs.equals(
                fetchPruned
                    ? List.of(graft, new Send(rg.announcer(), new Prune(origin)))
                    : List.of(graft)));
      }
    }

    /**
     * An input about one origin changes that origin's tree only; an IHave only the trees of the
     * origins its optimisation Prunes name; nothing else but a link going down changes any.
     */
    private void checkOtherTreesUnchanged(
        List<Output> outputs, NodeId origin, Map<NodeId, Set<NodeId>> treesBefore) {
      if (input instanceof NeighborDown) {
        return;
      }
      Set<NodeId> allowed = new HashSet<>();
      if (origin != null) {
        allowed.add(origin);
      }
      for (Output output : outputs) {
        if (output instanceof Send send && send.message() instanceof Prune p) {
          allowed.add(p.origin());
        }
      }
      Map<NodeId, Set<NodeId>> after = trees();
      for (Map.Entry<NodeId, Set<NodeId>> tree : treesBefore.entrySet()) {
        check(
            "tree of "
                + tree.getKey()
                + " changed from "
                + tree.getValue()
                + " to "
                + after.get(tree.getKey()),
            allowed.contains(tree.getKey()) || tree.getValue().equals(after.get(tree.getKey())));
      }
      count("other trees unchanged");
    }

    private void checkSplit(String which, Set<NodeId> eager, Set<NodeId> lazy) {
      for (NodeId peer : eager) {
        check(which + "eager and lazy overlap on " + peer, !lazy.contains(peer));
      }
      Set<NodeId> union = new HashSet<>(eager);
      union.addAll(lazy);
      check(
          which + "eager " + eager + " + lazy " + lazy + " is not the neighbour set " + neighbours,
          union.equals(neighbours));
    }

    private void checkSend(
        Send send, NodeId receivedFrom, Object message, List<NodeId> gossipTargets) {
      check("send to self " + send, !send.to().equals(SELF));
      check("send to non-neighbour " + send, neighbours.contains(send.to()));
      if (send.message() instanceof Gossip g) {
        check(
            "gossip sent back to its sender " + send,
            !(message instanceof Gossip && send.to().equals(receivedFrom)));
        check("recovered message pushed " + send, !(message instanceof Recovered));
        if (message instanceof Graft graft) {
          check("graft answered to another peer " + send, send.to().equals(receivedFrom));
          List<MessageId> asked = graft.ids().subList(0, Math.min(graft.ids().size(), MAX_BATCH));
          check("resent an id not asked for " + send, asked.contains(g.id()));
          boolean matches = false;
          for (Delivery d : deliveries.getOrDefault(g.id(), List.of())) {
            if (d.hops() + 1 == g.round() && now - d.at() < CACHE_RETENTION) {
              matches = true;
            }
          }
          check(
              "resent payload not delivered within the cache retention at that round - 1 " + send,
              matches);
          count("graft resent");
        } else if (input instanceof Broadcast) {
          check("broadcast pushed at round " + g.round(), g.round() == 1);
          gossipTargets.add(send.to());
        } else if (message instanceof Gossip received) {
          check(
              "forward round " + g.round(),
              g.round() == received.round() + 1 && g.id().equals(received.id()));
          gossipTargets.add(send.to());
        } else {
          check("gossip sent in response to " + input, false);
        }
      } else if (send.message() instanceof IHave i) {
        check(
            "IHave size " + i.announcements().size(),
            !i.announcements().isEmpty() && i.announcements().size() <= MAX_BATCH);
        if (input instanceof TimerExpired t) {
          check(
              "flush of " + t + " sent to " + send.to(),
              ((IHaveFlush) t.timer()).peer().equals(send.to()));
          count("flush sent");
        } else {
          check(
              "IHave batch sent before it is full " + send, i.announcements().size() == MAX_BATCH);
          count("full batch sent at once");
        }
      } else if (send.message() instanceof Graft g) {
        if (input instanceof RequestGraft rg) {
          check("graft " + send, send.equals(new Send(rg.announcer(), Graft.of(rg.id()))));
          // Where the tree delivers the origin, a fetch from any announcer but the parent leaves
          // the announcer's set as it was; otherwise a repair makes it eager.
          NodeId origin = rg.id().origin();
          if (delivers && !rg.announcer().equals(parent.get(origin))) {
            fetches.put(rg.id(), rg.announcer());
            check(
                "fetch moved the announcer",
                lazyBeforeStep.contains(rg.announcer())
                    == plumtree.lazyPeers(origin).contains(rg.announcer()));
            fetchPruned = lazyBeforeStep.contains(rg.announcer());
            count(fetchPruned ? "fetch" : "fetch from an eager announcer");
          } else {
            check(
                "repair left the announcer lazy",
                plumtree.eagerPeers(origin).contains(rg.announcer()));
            count("request graft");
          }
        } else {
          check(
              "optimisation graft " + send,
              message instanceof IHave && g.ids().isEmpty() && send.to().equals(receivedFrom));
          check(
              "optimisation grafted peer not eager",
              plumtree.eagerPeers(g.origin()).contains(send.to()));
          check("optimisation graft without its prune", optimisationGraft == null);
          optimisationGraft = send.to();
          count("optimisation");
        }
      } else if (send.message() instanceof Prune p) {
        check(
            "prune in response to " + input,
            message instanceof Gossip || message instanceof IHave || input instanceof RequestGraft);
        check("pruned peer not lazy", plumtree.lazyPeers(p.origin()).contains(send.to()));
        if (message instanceof IHave ihave) {
          checkOptimisationPrune(ihave, send.to(), p.origin());
        }
      } else {
        check("unexpected message " + send, false);
      }
    }

    /**
     * The optimisation prunes only the eager path of an announced id of the Prune's origin, when
     * the announcement is shorter by at least the threshold, and rewires that id's path to the
     * grafted announcer.
     */
    private void checkOptimisationPrune(IHave ihave, NodeId pruned, NodeId origin) {
      check("optimisation prune without a graft", optimisationGraft != null);
      List<Announcement> all = ihave.announcements();
      for (Announcement a : all.subList(0, Math.min(all.size(), MAX_BATCH))) {
        Path path = eagerPath.get(a.id());
        if (path != null
            && a.id().origin().equals(origin)
            && path.sender().equals(pruned)
            && path.round() - a.round() >= THRESHOLD) {
          eagerPath.put(a.id(), new Path(optimisationGraft, a.round()));
          parent.put(origin, optimisationGraft);
          optimisationGraft = null;
          return;
        }
      }
      check("optimisation pruned " + pruned + ", not the eager path of an announced id", false);
    }

    private void onDelivered(Delivered d, NodeId receivedFrom, Object message) {
      Delivery previous = lastDelivery(d.id());
      if (previous != null) {
        check(
            "delivered twice while still remembered: " + d + " first " + previous,
            mayBeForgotten(previous));
        count("delivered again after eviction");
      }
      if (input instanceof Broadcast b) {
        check(
            "broadcast delivery " + d,
            d.from().equals(SELF)
                && d.hops() == 0
                && d.payload() == b.payload()
                && d.id().origin().equals(SELF));
      } else if (message instanceof Gossip g) {
        check(
            "gossip delivery " + d,
            d.id().equals(g.id())
                && d.from().equals(receivedFrom)
                && d.hops() == g.round()
                && d.payload() == g.payload());
      } else if (message instanceof Recovered r) {
        check(
            "recovered delivery " + d,
            d.id().equals(r.id())
                && d.from().equals(receivedFrom)
                && neighbours.contains(receivedFrom)
                && d.payload() == r.payload());
      } else {
        check("delivery in response to " + input, false);
      }
      if (message instanceof Gossip g) {
        eagerPath.put(d.id(), new Path(receivedFrom, g.round()));
        resent.remove(d.id());
      } else {
        eagerPath.remove(d.id());
        if (message instanceof Recovered) {
          resent.add(d.id());
        } else {
          resent.remove(d.id());
        }
      }
      deliveries
          .computeIfAbsent(d.id(), k -> new ArrayList<>(1))
          .add(new Delivery(now, deliveryCount++, d.hops()));
      delivered.add(d.id());
    }

    private void onAnnounced(Announced a, NodeId receivedFrom, Object message) {
      check("announced outside an IHave " + a, message instanceof IHave);
      check(
          "announced for another peer " + a,
          a.peer().equals(receivedFrom) && neighbours.contains(a.peer()));
      Delivery previous = lastDelivery(a.id());
      check(
          "announced a remembered delivery " + a + " delivered " + previous,
          previous == null || mayBeForgotten(previous));
      // Cut off: every neighbour lazy in the origin's tree here. Nothing in an IHave changes that
      // (an optimisation needs an eager sender, and swaps an eager link for a lazy one).
      check(
          "cut off flag " + a,
          a.cutOff() == plumtree.lazyPeers(a.id().origin()).containsAll(neighbours));
      announced.add(a.id());
      count(a.cutOff() ? "announced cut off" : "announced");
    }
  }
}
