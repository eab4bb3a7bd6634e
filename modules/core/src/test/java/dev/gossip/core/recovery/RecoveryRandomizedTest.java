package dev.gossip.core.recovery;

import static dev.gossip.core.testing.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import dev.gossip.core.Start;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.dissemination.Announced;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.dissemination.EarlierAnnouncement;
import dev.gossip.core.dissemination.RequestGraft;
import dev.gossip.core.heartbeat.HeartbeatTick;
import dev.gossip.core.heartbeat.RttMeasured;
import dev.gossip.core.message.Digest;
import dev.gossip.core.message.OriginSummary;
import dev.gossip.core.message.Ping;
import dev.gossip.core.message.Recovered;
import dev.gossip.core.message.SequenceRange;
import dev.gossip.core.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random operations, hostile ones included, against the recovery role; every bound and the
 * graft and resend rules are checked after every step. A failure names the seed and the step.
 */
class RecoveryRandomizedTest {

  private static final int STEPS = 120_000;

  private static final RecoverySettings SETTINGS =
      new RecoverySettings(
          Duration.ofMillis(80),
          Duration.ofMillis(40),
          Duration.ofMillis(400), // maxGraftTimeout
          16, // maxMissing
          3, // maxAnnouncers
          Duration.ofSeconds(1),
          32, // historyCapacity
          600, // historyBytes
          Duration.ofSeconds(20),
          6, // maxOrigins
          4, // maxGapsPerOrigin
          8); // maxResendPerDigest

  /** Deliveries after which a missing id is grafted whatever its timer: half the history. */
  private static final long OVERDUE = SETTINGS.historyCapacity() / 2;

  private static final List<NodeId> PEERS = nodes(1, 8);
  private static final List<NodeId> STRANGERS = nodes(50, 3);
  private static final List<NodeId> ORIGINS = nodes(100, 10);

  /** Digests far over every limit, built once: thousands of origins, thousands of gaps. */
  private static final List<Digest> HUGE_DIGESTS = hugeDigests();

  private static List<NodeId> nodes(int first, int count) {
    List<NodeId> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(node(first + i));
    }
    return List.copyOf(nodes);
  }

  private static List<Digest> hugeDigests() {
    List<OriginSummary> strangersFirst = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      strangersFirst.add(new OriginSummary(node(10_000 + i), i, List.of()));
    }
    List<OriginSummary> realFirst = new ArrayList<>();
    for (NodeId origin : ORIGINS) {
      realFirst.add(new OriginSummary(origin, Long.MAX_VALUE, List.of()));
    }
    realFirst.addAll(strangersFirst);
    strangersFirst.add(new OriginSummary(ORIGINS.get(0), Long.MAX_VALUE, List.of()));
    List<SequenceRange> manyGaps = new ArrayList<>();
    for (long i = 0; i < 5_000; i++) {
      manyGaps.add(new SequenceRange(2 * i + 1, 2 * i + 1));
    }
    List<OriginSummary> gappy = new ArrayList<>();
    for (NodeId origin : ORIGINS) {
      gappy.add(new OriginSummary(origin, Long.MAX_VALUE, manyGaps));
    }
    List<OriginSummary> extremes = new ArrayList<>();
    for (NodeId origin : ORIGINS) {
      extremes.add(
          new OriginSummary(
              origin, Long.MAX_VALUE, List.of(new SequenceRange(1, Long.MAX_VALUE - 1))));
    }
    List<OriginSummary> negative = new ArrayList<>();
    for (NodeId origin : ORIGINS) {
      negative.add(new OriginSummary(origin, Long.MIN_VALUE, List.of()));
    }
    return List.of(
        new Digest(strangersFirst, true),
        new Digest(realFirst, false),
        new Digest(gappy, true),
        new Digest(extremes, true),
        new Digest(negative, false));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 0x5EEDL, 0xC0FFEE_2024L})
  void hostileRandomOperationsKeepEveryBoundAndRule(long seed) {
    new Run(seed).run();
  }

  /** One seeded run: the role, the random source and what the test knows of the past. */
  private static final class Run {
    final long seed;
    final SplittableRandom rnd;
    final Recovery recovery;
    final Recorder out = new Recorder();

    final Set<NodeId> up = new LinkedHashSet<>();

    /** Per neighbour: its latest heartbeat round trip and the least since it came up. */
    final Map<NodeId, long[]> rtts = new HashMap<>();

    /** Per neighbour: when its digest window began and digests answered in it (the model). */
    final Map<NodeId, long[]> digestWindow = new HashMap<>();

    /** Whether the digest just handled was within its sender's allowance. */
    boolean digestAllowed;

    final Map<MessageId, Set<NodeId>> announcers = new HashMap<>();
    final List<Announced> pastAnnounced = new ArrayList<>();
    final List<Delivered> pastDelivered = new ArrayList<>();
    long now;
    int originsBefore;
    Duration timeoutBefore;

    /** Per missing id: when its first IHave came, and the peers grafted for it (the model). */
    final Map<MessageId, Long> announcedAt = new HashMap<>();

    final Map<MessageId, Set<NodeId>> grafted = new HashMap<>();

    /** Deliveries so far, and their count at each missing id's first IHave. */
    long deliveries;

    final Map<MessageId, Long> announcedDeliveries = new HashMap<>();

    /** How often the run reached each limit or hostile path: a run that never does is no test. */
    final Map<MessageId, Output> firstGraft = new HashMap<>();

    final Map<MessageId, Set<NodeId>> announcedBy = new HashMap<>();

    final Map<String, Integer> reached = new TreeMap<>();

    void reached(String what) {
      reached.merge(what, 1, Integer::sum);
    }

    Run(long seed) {
      this.seed = seed;
      this.rnd = new SplittableRandom(seed);
      // The role draws from its own seeded generator, independent of the input stream.
      this.recovery = new Recovery(SETTINGS, new SplittableRandom(~seed));
      this.now = rnd.nextLong(-1_000_000_000_000L, 1_000_000_000_000L);
    }

    void run() {
      for (int step = 0; step < STEPS; step++) {
        advanceTime();
        Input input = nextInput();
        Set<MessageId> missingBefore = Set.copyOf(recovery.missing());
        List<MessageHistory.Entry> historyBefore = List.copyOf(recovery.history().entries());
        originsBefore = recovery.originCount();
        timeoutBefore = recovery.graftTimeout(now);
        try {
          recovery.handle(input, now, out);
          List<Output> outputs = out.take();
          track(input);
          checkInvariants();
          checkOutputs(input, outputs, missingBefore, historyBefore);
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(
              "seed " + seed + ", step " + step + ", now " + now + ", input " + input, e);
        }
      }
      for (String what :
          List.of(
              "graft",
              "graft of the second announcer",
              "missing full",
              "history full by count",
              "history near full by bytes",
              "origins full",
              "summary with max gaps",
              "resend cap reached",
              "fresh message left to the next digest",
              "fresh message resent before the history drops it",
              "digest from a non-neighbour",
              "digest over the allowance",
              "digest with too many gaps",
              "digest with too many origins",
              "announcement of a delivered id",
              "missing id dropped",
              "origin expired",
              "graft timeout adapted",
              "graft timeout lowered by an eager delivery",
              "graft timeout reset by a neighbour down",
              "overdue graft",
              "cut-off announcement grafted at once",
              "graft timeout at its maximum",
              "first wait lifted by a round trip",
              "first wait lifted by a least round trip below the latest",
              "round trips forgotten by a neighbour down",
              "first wait bounded by a round trip",
              "second wait bounded by a round trip")) {
        assertTrue(reached.containsKey(what), "seed " + seed + " never reached: " + what);
      }
    }

    void advanceTime() {
      int r = rnd.nextInt(1_000);
      if (r == 0) {
        now -= rnd.nextLong(2_000_000_000L); // a clock stepping back
      } else if (r < 3) {
        now += rnd.nextLong(60_000_000_000L); // a long pause: retention passes
      } else {
        now += rnd.nextLong(30_000_000L);
      }
    }

    NodeId anyPeer() {
      return rnd.nextInt(10) == 0
          ? STRANGERS.get(rnd.nextInt(STRANGERS.size()))
          : PEERS.get(rnd.nextInt(PEERS.size()));
    }

    long sequence() {
      int r = rnd.nextInt(100);
      if (r == 0) {
        return Long.MAX_VALUE - rnd.nextInt(3);
      } else if (r == 1) {
        return rnd.nextLong(1, Long.MAX_VALUE);
      } else if (r == 2) {
        return (1L << 40) + rnd.nextInt(3);
      }
      return 1 + rnd.nextInt(40);
    }

    MessageId anyId() {
      return new MessageId(ORIGINS.get(rnd.nextInt(ORIGINS.size())), sequence());
    }

    Input nextInput() {
      int r = rnd.nextInt(100);
      if (r < 6) {
        return new NeighborUp(PEERS.get(rnd.nextInt(PEERS.size())));
      } else if (r < 10) {
        return new NeighborDown(anyPeer(), DownReason.values()[rnd.nextInt(5)]);
      } else if (r < 32) {
        // One in eight from a node cut off from the origin's tree: grafted at once.
        Announced a = new Announced(anyId(), anyPeer(), rnd.nextInt(12), rnd.nextInt(8) == 0);
        remember(pastAnnounced, a);
        return a;
      } else if (r < 37 && !pastAnnounced.isEmpty()) {
        return pastAnnounced.get(rnd.nextInt(pastAnnounced.size()));
      } else if (r < 55) {
        // Small and large payloads, so that either history bound can be the one that binds; some
        // alone exceed the byte bound.
        int kind = rnd.nextInt(50);
        int size =
            kind == 0 ? 601 + rnd.nextInt(100) : kind < 25 ? rnd.nextInt(8) : rnd.nextInt(80);
        byte[] payload = new byte[size];
        rnd.nextBytes(payload);
        Delivered d = new Delivered(anyId(), anyPeer(), rnd.nextInt(12), payload);
        remember(pastDelivered, d);
        return d;
      } else if (r < 60 && !pastDelivered.isEmpty()) {
        return pastDelivered.get(rnd.nextInt(pastDelivered.size()));
      } else if (r < 74) {
        MessageId id = anyId();
        if (rnd.nextInt(10) < 7 && !recovery.missing().isEmpty()) {
          List<MessageId> missing = List.copyOf(recovery.missing());
          id = missing.get(rnd.nextInt(missing.size()));
        }
        return new TimerExpired(new RecoveryTimer.MissingTimeout(id));
      } else if (r < 80) {
        return new TimerExpired(RecoveryTimer.AntiEntropyTick.INSTANCE);
      } else if (r < 97) {
        return new Received(digestSender(), digest());
      }
      return switch (rnd.nextInt(4)) {
        case 0 -> Start.INSTANCE;
        case 1 -> new Received(anyPeer(), new Ping(now));
        case 2 -> new TimerExpired(HeartbeatTick.INSTANCE);
        default -> new RttMeasured(anyPeer(), roundTrip(), roundTrip());
      };
    }

    /** Mostly round trips that leave the waits below max-graft-timeout; some past it. */
    Duration roundTrip() {
      return Duration.ofNanos(rnd.nextLong(rnd.nextInt(4) == 0 ? 500_000_000L : 100_000_000L));
    }

    <T> void remember(List<T> past, T item) {
      if (past.size() < 256) {
        past.add(item);
      } else {
        past.set(rnd.nextInt(256), item);
      }
    }

    NodeId digestSender() {
      if (!up.isEmpty() && rnd.nextInt(4) != 0) {
        List<NodeId> ups = List.copyOf(up);
        return ups.get(rnd.nextInt(ups.size()));
      }
      return anyPeer();
    }

    Digest digest() {
      int r = rnd.nextInt(100);
      if (r < 15) {
        return HUGE_DIGESTS.get(rnd.nextInt(HUGE_DIGESTS.size()));
      } else if (r < 25) {
        return recovery.digest(rnd.nextBoolean());
      } else if (r < 30) {
        return new Digest(List.of(), rnd.nextBoolean());
      }
      List<OriginSummary> summaries = new ArrayList<>();
      int count = rnd.nextInt(9);
      for (int i = 0; i < count; i++) {
        NodeId origin = ORIGINS.get(rnd.nextInt(ORIGINS.size()));
        long highest = rnd.nextInt(20) == 0 ? Long.MAX_VALUE : rnd.nextInt(46);
        List<SequenceRange> gaps = new ArrayList<>();
        int gapCount = highest < 1 ? 0 : rnd.nextInt(7);
        for (int g = 0; g < gapCount; g++) {
          long from = 1 + rnd.nextLong(Math.min(highest, 50));
          gaps.add(new SequenceRange(from, from + rnd.nextInt(10)));
        }
        summaries.add(new OriginSummary(origin, highest, gaps));
      }
      return new Digest(summaries, rnd.nextBoolean());
    }

    void track(Input input) {
      if (input instanceof NeighborUp u) {
        up.add(u.peer());
        digestWindow.putIfAbsent(u.peer(), new long[2]);
      } else if (input instanceof NeighborDown d) {
        up.remove(d.peer());
        digestWindow.remove(d.peer());
        if (rtts.remove(d.peer()) != null) {
          reached("round trips forgotten by a neighbour down");
        }
      } else if (input instanceof RttMeasured m && up.contains(m.peer())) {
        long sample = m.sample().toNanos();
        long[] known = rtts.get(m.peer());
        rtts.put(
            m.peer(), new long[] {sample, known == null ? sample : Math.min(known[1], sample)});
      } else if (input instanceof Received r && r.message() instanceof Digest) {
        long[] window = digestWindow.get(r.from());
        if (window != null) {
          if (window[1] == 0 || now - window[0] >= SETTINGS.antiEntropyInterval().toNanos()) {
            window[0] = now;
            window[1] = 0;
          }
          digestAllowed = ++window[1] <= Recovery.DIGESTS_PER_INTERVAL;
        }
      } else if (input instanceof Announced a) {
        announcers.computeIfAbsent(a.id(), k -> new HashSet<>()).add(a.peer());
      }
    }

    void checkInvariants() {
      assertTrue(recovery.missing().size() <= SETTINGS.maxMissing(), "missing over maxMissing");
      if (recovery.missing().size() == SETTINGS.maxMissing()) {
        reached("missing full");
      }
      MessageHistory history = recovery.history();
      assertTrue(history.size() <= SETTINGS.historyCapacity(), "history over its capacity");
      assertTrue(history.bytes() <= SETTINGS.historyBytes(), "history over its byte bound");
      long bytes = 0;
      for (MessageHistory.Entry e : history.entries()) {
        bytes += e.payload().length;
      }
      assertEquals(bytes, history.bytes(), "history byte count");
      if (history.size() == SETTINGS.historyCapacity()) {
        reached("history full by count");
      }
      if (history.bytes() > SETTINGS.historyBytes() - 80) {
        reached("history near full by bytes");
      }
      if (recovery.originCount() == SETTINGS.maxOrigins()) {
        reached("origins full");
      }
      assertTrue(recovery.originCount() <= SETTINGS.maxOrigins(), "origins over maxOrigins");
      Digest digest = recovery.digest(false);
      assertTrue(digest.origins().size() <= SETTINGS.maxOrigins(), "digest over maxOrigins");
      assertEquals(recovery.originCount(), digest.origins().size(), "digest covers every origin");
      Set<NodeId> seen = new HashSet<>();
      for (OriginSummary s : digest.origins()) {
        assertTrue(seen.add(s.origin()), "an origin twice in our digest");
        assertTrue(s.gaps().size() <= SETTINGS.maxGapsPerOrigin(), () -> "too many gaps: " + s);
        if (s.gaps().size() == SETTINGS.maxGapsPerOrigin()) {
          reached("summary with max gaps");
        }
        long previousTo = 0;
        for (SequenceRange gap : s.gaps()) {
          assertTrue(gap.from() > previousTo + 1 || previousTo == 0, () -> "gaps overlap: " + s);
          assertTrue(gap.to() < s.highest(), () -> "gap not below the highest: " + s);
          previousTo = gap.to();
        }
      }
    }

    void checkOutputs(
        Input input,
        List<Output> outputs,
        Set<MessageId> missingBefore,
        List<MessageHistory.Entry> historyBefore) {
      int recovered = 0;
      for (Output o : outputs) {
        if (o instanceof RequestGraft g) {
          assertTrue(up.contains(g.announcer()), () -> "graft of a non-neighbour: " + g);
          assertTrue(
              announcers.getOrDefault(g.id(), Set.of()).contains(g.announcer()),
              () -> "graft of a peer that never announced the id: " + g);
          assertNull(recovery.history().get(g.id()), () -> "graft of a delivered id: " + g);
          reached("graft");
        } else if (o instanceof Send s && s.message() instanceof Recovered) {
          recovered++;
        } else if (o instanceof Schedule s) {
          assertTrue(s.delay().toNanos() > 0, () -> "non-positive delay " + s);
        }
      }
      checkGraftTimeout(input, missingBefore);
      assertTrue(recovered <= SETTINGS.maxResendPerDigest(), "resent over maxResendPerDigest");
      if (recovered == SETTINGS.maxResendPerDigest()) {
        reached("resend cap reached");
      }

      if (input instanceof Received r && r.message() instanceof Digest d) {
        if (!up.contains(r.from())) {
          assertEquals(List.of(), outputs, "digest from a non-neighbour");
          reached("digest from a non-neighbour");
        } else if (!digestAllowed) {
          assertEquals(List.of(), outputs, "digest over the neighbour's allowance");
          reached("digest over the allowance");
        } else {
          if (d.origins().size() > SETTINGS.maxOrigins()) {
            reached("digest with too many origins");
          }
          if (d.origins().stream().anyMatch(o -> o.gaps().size() > SETTINGS.maxGapsPerOrigin())) {
            reached("digest with too many gaps");
          }
          assertEquals(expectedAnswer(r.from(), d, historyBefore), outputs, "digest answer");
        }
      } else if (input instanceof TimerExpired t
          && t.timer() == RecoveryTimer.AntiEntropyTick.INSTANCE) {
        if (recovery.originCount() < originsBefore) {
          reached("origin expired");
        }
        Schedule next =
            new Schedule(SETTINGS.antiEntropyInterval(), RecoveryTimer.AntiEntropyTick.INSTANCE);
        assertEquals(next, outputs.get(0));
        if (up.isEmpty()) {
          assertEquals(1, outputs.size());
        } else {
          assertEquals(2, outputs.size());
          Send send = (Send) outputs.get(1);
          assertTrue(up.contains(send.to()), "digest to a non-neighbour");
          assertEquals(recovery.digest(true), send.message());
        }
      } else if (input instanceof TimerExpired t
          && t.timer() instanceof RecoveryTimer.MissingTimeout m) {
        if (!missingBefore.contains(m.id())) {
          assertEquals(List.of(), outputs, "timer for an id not missing");
        } else if (!outputs.isEmpty()) {
          assertEquals(2, outputs.size());
          RequestGraft g = (RequestGraft) outputs.get(0);
          assertEquals(m.id(), g.id());
          assertEquals(
              new Schedule(secondTimeout(timeoutBefore, g.announcer()), m), outputs.get(1));
          assertTrue(recovery.missing().contains(m.id()));
          if (!outputs.get(0).equals(firstGraft.get(m.id()))) {
            reached("graft of the second announcer");
          }
          firstGraft.putIfAbsent(m.id(), outputs.get(0));
        } else {
          assertFalse(recovery.missing().contains(m.id()), "an id without announcer kept");
          reached("missing id dropped");
          firstGraft.remove(m.id());
        }
      } else if (input instanceof Announced a) {
        announcedBy.computeIfAbsent(a.id(), k -> new HashSet<>()).add(a.peer());
        boolean starts = !missingBefore.contains(a.id()) && !delivered(historyBefore, a.id());
        if (delivered(historyBefore, a.id())) {
          reached("announcement of a delivered id");
        }
        if (starts) {
          announcedAt.put(a.id(), now);
          announcedDeliveries.put(a.id(), deliveries);
          grafted.remove(a.id());
        }
        boolean ungrafted =
            starts
                || (missingBefore.contains(a.id())
                    && grafted.getOrDefault(a.id(), Set.of()).isEmpty());
        if (a.cutOff() && up.contains(a.peer()) && ungrafted) {
          checkGraftedAtOnce(a, outputs);
        } else {
          List<Output> expected =
              starts
                  ? List.of(
                      new Schedule(
                          firstTimeout(timeoutBefore, a.peer()),
                          new RecoveryTimer.MissingTimeout(a.id())))
                  : List.of();
          assertEquals(expected, outputs, "announcement");
          assertEquals(
              starts || missingBefore.contains(a.id()), recovery.missing().contains(a.id()));
        }
      } else if (input instanceof Delivered d) {
        deliveries++;
        List<Output> grafts = outputs;
        // At most the shortest pending announcement, if shorter than the delivery.
        if (!outputs.isEmpty() && outputs.get(0) instanceof EarlierAnnouncement e) {
          grafts = outputs.subList(1, outputs.size());
          assertEquals(d.id(), e.id());
          assertTrue(e.round() < d.hops(), "an announcement no shorter than the delivery");
          assertTrue(missingBefore.contains(d.id()), "an announcement of an id not missing");
          assertTrue(
              announcedBy.getOrDefault(d.id(), Set.of()).contains(e.announcer()),
              "reported an announcer that never announced");
          reached("earlier announcement");
        }
        checkOverdueGrafts(grafts, missingBefore);
        assertFalse(recovery.missing().contains(d.id()), "delivered but still missing");
        firstGraft.remove(d.id());
        if (d.payload().length <= SETTINGS.historyBytes()) {
          assertNotNull(recovery.history().get(d.id()), "delivered but not in the history");
        }
      } else if (input == Start.INSTANCE) {
        assertEquals(1, outputs.size());
        Schedule s = (Schedule) outputs.get(0);
        assertEquals(RecoveryTimer.AntiEntropyTick.INSTANCE, s.timer());
        assertTrue(s.delay().compareTo(SETTINGS.antiEntropyInterval()) <= 0);
      } else if (!outputs.isEmpty()) {
        fail("outputs for " + input + ": " + outputs);
      }
      for (Output o : outputs) {
        if (o instanceof RequestGraft g) {
          grafted.computeIfAbsent(g.id(), k -> new HashSet<>()).add(g.announcer());
        }
      }
    }

    /**
     * A cut-off announcement of an id not grafted yet grafts a neighbour that announced it, with
     * the second timer; or, if every announcer kept is gone, the id is dropped.
     */
    void checkGraftedAtOnce(Announced a, List<Output> outputs) {
      if (outputs.isEmpty()) {
        // Every announcer kept had gone down, and the list was full without this one.
        assertFalse(recovery.missing().contains(a.id()), "a cut-off id without announcer kept");
        firstGraft.remove(a.id());
        return;
      }
      assertEquals(2, outputs.size(), "cut-off announcement");
      RequestGraft g = assertInstanceOf(RequestGraft.class, outputs.get(0));
      assertEquals(a.id(), g.id());
      assertTrue(up.contains(g.announcer()), "grafted a non-neighbour");
      assertTrue(announcedBy.get(a.id()).contains(g.announcer()), "grafted a non-announcer");
      assertEquals(
          new Schedule(
              secondTimeout(timeoutBefore, g.announcer()),
              new RecoveryTimer.MissingTimeout(a.id())),
          outputs.get(1));
      assertTrue(recovery.missing().contains(a.id()));
      firstGraft.putIfAbsent(a.id(), outputs.get(0));
      reached("cut-off announcement grafted at once");
    }

    /**
     * After a delivery, every missing id announced {@link #OVERDUE} deliveries ago or more and not
     * grafted yet is grafted at once, each with the second timer; no other id is.
     */
    void checkOverdueGrafts(List<Output> grafts, Set<MessageId> missingBefore) {
      Set<MessageId> graftedNow = new HashSet<>();
      assertEquals(0, grafts.size() % 2, "overdue grafts come in pairs");
      for (int i = 0; i < grafts.size(); i += 2) {
        RequestGraft g = assertInstanceOf(RequestGraft.class, grafts.get(i));
        assertTrue(missingBefore.contains(g.id()), "an overdue graft of an id not missing");
        assertTrue(grafted.getOrDefault(g.id(), Set.of()).isEmpty(), "an overdue id grafted twice");
        assertTrue(deliveries - announcedDeliveries.get(g.id()) >= OVERDUE, "a graft not overdue");
        assertEquals(
            new Schedule(
                secondTimeout(recovery.graftTimeout(now), g.announcer()),
                new RecoveryTimer.MissingTimeout(g.id())),
            grafts.get(i + 1));
        graftedNow.add(g.id());
        reached("overdue graft");
      }
      for (MessageId id : recovery.missing()) {
        if (!graftedNow.contains(id) && grafted.getOrDefault(id, Set.of()).isEmpty()) {
          assertTrue(deliveries - announcedDeliveries.get(id) < OVERDUE, "an overdue id waits");
        }
      }
    }

    /**
     * The timeout stays within its bounds and, read at the same instant before and after a step,
     * moves only on a sample: the delivery of a missing id, not from a peer grafted for it, within
     * the maximum of its first IHave.
     */
    void checkGraftTimeout(Input input, Set<MessageId> missingBefore) {
      Duration timeout = recovery.graftTimeout(now);
      assertTrue(timeout.compareTo(SETTINGS.graftTimeout()) >= 0, "graft timeout below the least");
      assertTrue(timeout.compareTo(SETTINGS.maxGraftTimeout()) <= 0, "graft timeout over the max");
      if (timeout.equals(SETTINGS.maxGraftTimeout())) {
        reached("graft timeout at its maximum");
      }
      if (timeout.equals(timeoutBefore)) {
        return;
      }
      if (input instanceof NeighborDown) {
        assertEquals(SETTINGS.graftTimeout(), timeout, "a neighbour down resets the estimate");
        reached("graft timeout reset by a neighbour down");
        return;
      }
      Delivered d =
          assertInstanceOf(Delivered.class, input, "graft timeout moved without a sample");
      if (!missingBefore.contains(d.id())) {
        // A delivery no IHave announced can only lower the estimate.
        assertTrue(d.hops() > 0, "a sample from this node's own broadcast");
        assertTrue(timeout.compareTo(timeoutBefore) < 0, "an eager delivery raised the timeout");
        reached("graft timeout lowered by an eager delivery");
        return;
      }
      assertFalse(
          grafted.getOrDefault(d.id(), Set.of()).contains(d.from()),
          "a sample from a delivery by a grafted peer");
      long delay = now - announcedAt.get(d.id());
      assertTrue(
          delay >= 0 && delay <= SETTINGS.maxGraftTimeout().toNanos(), "a sample out of bounds");
      reached("graft timeout adapted");
    }

    /**
     * The first timeout on {@code announcer}, restated from the estimate without round trips: at
     * least graft-timeout plus three least round trips to it, at most that plus two latest ones.
     */
    Duration firstTimeout(Duration estimate, NodeId announcer) {
      long[] rtt = rtts.get(announcer);
      if (rtt == null) {
        return estimate;
      }
      long max = SETTINGS.maxGraftTimeout().toNanos();
      long floor = Math.min(max, SETTINGS.graftTimeout().toNanos() + 3 * rtt[1]);
      if (estimate.toNanos() <= floor) {
        if (floor > SETTINGS.graftTimeout().toNanos()) {
          reached("first wait lifted by a round trip");
          if (rtt[1] < rtt[0] && floor < max) {
            reached("first wait lifted by a least round trip below the latest");
          }
        }
        return Duration.ofNanos(floor);
      }
      long bound = Math.min(max, floor + 2 * rtt[0]);
      if (bound < estimate.toNanos()) {
        reached("first wait bounded by a round trip");
      }
      return Duration.ofNanos(Math.min(estimate.toNanos(), bound));
    }

    /**
     * The second timeout on {@code grafted}, restated: the configured one, scaled as the first
     * grew, at most the configured one plus two latest round trips to the grafted peer.
     */
    Duration secondTimeout(Duration first, NodeId grafted) {
      double scale = (double) first.toNanos() / SETTINGS.graftTimeout().toNanos();
      long scaled = (long) (SETTINGS.secondGraftTimeout().toNanos() * scale);
      long[] rtt = rtts.get(grafted);
      long max = SETTINGS.maxGraftTimeout().toNanos();
      long bound =
          rtt == null ? max : Math.min(max, SETTINGS.secondGraftTimeout().toNanos() + 2 * rtt[0]);
      if (bound < scaled) {
        reached("second wait bounded by a round trip");
      }
      return Duration.ofNanos(Math.min(scaled, bound));
    }

    static boolean delivered(List<MessageHistory.Entry> history, MessageId id) {
      for (MessageHistory.Entry e : history) {
        if (e.id().equals(id)) {
          return true;
        }
      }
      return false;
    }

    /**
     * The rule, restated: our digest if wanted, then what the digest lacks, oldest first, except
     * messages delivered less than max-graft-timeout ago in the newer half of the history.
     */
    List<Output> expectedAnswer(NodeId from, Digest d, List<MessageHistory.Entry> historyBefore) {
      List<Output> expected = new ArrayList<>();
      if (d.replyWanted()) {
        expected.add(new Send(from, recovery.digest(false)));
      }
      Map<NodeId, OriginSummary> usable = new HashMap<>();
      List<OriginSummary> summaries = d.origins();
      for (int i = 0; i < Math.min(summaries.size(), SETTINGS.maxOrigins()); i++) {
        OriginSummary s = summaries.get(i);
        if (s.gaps().size() <= SETTINGS.maxGapsPerOrigin()) {
          usable.put(s.origin(), s);
        }
      }
      int resent = 0;
      int newer = historyBefore.size();
      long newerBytes = 0;
      for (MessageHistory.Entry e : historyBefore) {
        newerBytes += e.payload().length;
      }
      for (MessageHistory.Entry e : historyBefore) {
        newer--;
        newerBytes -= e.payload().length;
        if (resent == SETTINGS.maxResendPerDigest()) {
          break;
        }
        OriginSummary s = usable.get(e.id().origin());
        if (s != null && !lacks(s, e.id().sequence())) {
          continue;
        }
        boolean leavingSoon =
            newer >= SETTINGS.historyCapacity() / 2 || newerBytes >= SETTINGS.historyBytes() / 2;
        boolean fresh = now - e.storedAt() < SETTINGS.maxGraftTimeout().toNanos();
        if (fresh && !leavingSoon) {
          reached("fresh message left to the next digest");
          continue;
        }
        if (fresh) {
          reached("fresh message resent before the history drops it");
        }
        expected.add(new Send(from, new Recovered(e.id(), e.round() + 1, e.payload())));
        resent++;
      }
      return expected;
    }

    static boolean lacks(OriginSummary s, long sequence) {
      if (sequence > s.highest()) {
        return true;
      }
      for (SequenceRange gap : s.gaps()) {
        if (gap.from() <= sequence && sequence <= gap.to()) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Model check: random delivery orders of random subsets of a few origins' sequences, no limit
   * reached; after every delivery each origin's summary states exactly the delivered set.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7L, 0xBADC0DEL, 987_654_321L})
  void summariesStateExactlyTheDeliveredSequences(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    RecoverySettings roomy =
        new RecoverySettings(
            Duration.ofMillis(80),
            Duration.ofMillis(40),
            Duration.ofMillis(80),
            16,
            8,
            Duration.ofSeconds(5),
            100_000,
            1L << 30,
            Duration.ofDays(1),
            16,
            1_000,
            256);
    List<NodeId> origins = nodes(100, 3);
    for (int round = 0; round < 40; round++) {
      Recovery recovery = new Recovery(roomy, new SplittableRandom(seed + round));
      List<MessageId> toDeliver = new ArrayList<>();
      for (NodeId origin : origins) {
        int n = 1 + rnd.nextInt(150);
        double keep = 0.1 + 0.9 * rnd.nextDouble();
        for (long s = 1; s <= n; s++) {
          if (rnd.nextDouble() < keep) {
            toDeliver.add(new MessageId(origin, s));
          }
        }
      }
      for (int i = toDeliver.size() - 1; i > 0; i--) { // Fisher-Yates
        int j = rnd.nextInt(i + 1);
        MessageId swap = toDeliver.get(i);
        toDeliver.set(i, toDeliver.get(j));
        toDeliver.set(j, swap);
      }
      Map<NodeId, TreeSet<Long>> reference = new HashMap<>();
      Recorder out = new Recorder();
      long now = 0;
      // Every tenth delivery or so is a duplicate of an earlier one.
      List<MessageId> deliveries = new ArrayList<>();
      for (int i = 0; i < toDeliver.size(); i++) {
        deliveries.add(toDeliver.get(i));
        if (rnd.nextInt(10) == 0) {
          deliveries.add(toDeliver.get(rnd.nextInt(i + 1)));
        }
      }
      for (int step = 0; step < deliveries.size(); step++) {
        MessageId id = deliveries.get(step);
        now += rnd.nextLong(1_000_000L);
        recovery.handle(new Delivered(id, origins.get(0), 1, new byte[1]), now, out);
        reference.computeIfAbsent(id.origin(), k -> new TreeSet<>()).add(id.sequence());
        String where = "seed " + seed + ", round " + round + ", step " + step + ", after " + id;
        assertEquals(List.of(), out.take(), where);
        checkSummaries(recovery.digest(false), reference, where);
      }
    }
  }

  private static void checkSummaries(
      Digest digest, Map<NodeId, TreeSet<Long>> reference, String where) {
    assertEquals(reference.size(), digest.origins().size(), where);
    for (OriginSummary s : digest.origins()) {
      TreeSet<Long> delivered = reference.get(s.origin());
      assertNotNull(delivered, where);
      assertEquals(delivered.last().longValue(), s.highest(), where);
      for (long seq = 1; seq <= s.highest(); seq++) {
        assertEquals(delivered.contains(seq), s.has(seq), where + ", sequence " + seq);
      }
      // And in the smallest form: the maximal runs of undelivered sequences, ascending.
      List<SequenceRange> gaps = new ArrayList<>();
      long from = 0;
      for (long seq = 1; seq <= s.highest(); seq++) {
        if (!delivered.contains(seq) && from == 0) {
          from = seq;
        } else if (delivered.contains(seq) && from != 0) {
          gaps.add(new SequenceRange(from, seq - 1));
          from = 0;
        }
      }
      assertEquals(new OriginSummary(s.origin(), s.highest(), gaps), s, where);
    }
  }
}
