package dev.gossip.core.heartbeat;

import static dev.gossip.core.testing.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.DownReason;
import dev.gossip.core.Input;
import dev.gossip.core.LinkFailed;
import dev.gossip.core.NeighborDown;
import dev.gossip.core.NeighborUp;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import dev.gossip.core.Received;
import dev.gossip.core.Schedule;
import dev.gossip.core.Send;
import dev.gossip.core.Start;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.message.Digest;
import dev.gossip.core.message.Ping;
import dev.gossip.core.message.Pong;
import dev.gossip.core.recovery.RecoveryTimer;
import dev.gossip.core.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Seeded random operations, hostile ones included (forged Pongs, strangers, unknown peers going
 * down, clock jumps), against the heartbeat role. After every step the outputs must be exactly what
 * the rules give, and the bounds must hold. A failure names the seed and the step.
 */
class HeartbeatRandomizedTest {

  private static final int STEPS = 150_000;
  private static final HeartbeatSettings SETTINGS =
      new HeartbeatSettings(Duration.ofSeconds(1), Duration.ofSeconds(3));
  private static final long TIMEOUT = SETTINGS.failureTimeout().toNanos();
  private static final Schedule NEXT_TICK =
      new Schedule(SETTINGS.pingInterval(), HeartbeatTick.INSTANCE);

  private static final List<NodeId> PEERS = nodes(1, 8);
  private static final List<NodeId> STRANGERS = nodes(50, 4);

  private static List<NodeId> nodes(int first, int count) {
    List<NodeId> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(node(first + i));
    }
    return List.copyOf(nodes);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3L, 0xFEEDL, 0x1234_5678_9ABCL})
  void hostileRandomOperationsFollowTheRules(long seed) {
    new Run(seed).run();
  }

  /** What the test expects of one monitored link. */
  private static final class Link {
    long lastHeard;
    long smoothed = -1;

    Link(long lastHeard) {
      this.lastHeard = lastHeard;
    }
  }

  private static final class Run {
    final long seed;
    final SplittableRandom rnd;
    final Heartbeat heartbeat = new Heartbeat(SETTINGS);
    final Recorder out = new Recorder();

    final Set<NodeId> up = new LinkedHashSet<>();
    final Map<NodeId, Link> monitored = new LinkedHashMap<>();
    final Map<NodeId, Long> lastPingSent = new HashMap<>();
    long now;

    /** How often the run reached each rule or hostile path: a run that never does is no test. */
    final Map<String, Integer> reached = new TreeMap<>();

    void reached(String what) {
      reached.merge(what, 1, Integer::sum);
    }

    Run(long seed) {
      this.seed = seed;
      this.rnd = new SplittableRandom(seed);
      this.now = rnd.nextLong(-1_000_000_000_000L, 1_000_000_000_000L);
    }

    void run() {
      for (int step = 0; step < STEPS; step++) {
        advanceTime();
        Input input = nextInput();
        try {
          Map<NodeId, Long> heardBefore = new HashMap<>();
          monitored.forEach((peer, link) -> heardBefore.put(peer, link.lastHeard));
          List<Output> expected = expect(input);
          heartbeat.handle(input, now, out);
          List<Output> outputs = out.take();
          checkBounds(input, outputs, heardBefore);
          assertEquals(expected, outputs, "outputs");
          for (NodeId peer : PEERS) {
            Link link = monitored.get(peer);
            Duration rtt =
                link == null || link.smoothed < 0 ? null : Duration.ofNanos(link.smoothed);
            assertEquals(rtt, heartbeat.smoothedRtt(peer), () -> "smoothed RTT of " + peer);
          }
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(
              "seed " + seed + ", step " + step + ", now " + now + ", input " + input, e);
        }
      }
      for (String what :
          List.of(
              "link failed",
              "ping sent",
              "pong sent",
              "first RTT sample",
              "smoothed RTT sample",
              "forged pong ignored",
              "stranger ignored",
              "clock stepped back")) {
        assertTrue(reached.containsKey(what), "seed " + seed + " never reached: " + what);
      }
    }

    void advanceTime() {
      int r = rnd.nextInt(1_000);
      if (r == 0) {
        now -= rnd.nextLong(2_000_000_000L); // a clock stepping back
        reached("clock stepped back");
      } else if (r < 4) {
        now += rnd.nextLong(20_000_000_000L); // a long pause: every link times out
      } else {
        now += rnd.nextLong(400_000_000L);
      }
    }

    NodeId anyPeer() {
      return rnd.nextInt(8) == 0
          ? STRANGERS.get(rnd.nextInt(STRANGERS.size()))
          : PEERS.get(rnd.nextInt(PEERS.size()));
    }

    long forgedTime() {
      return switch (rnd.nextInt(6)) {
        case 0 -> Long.MIN_VALUE;
        case 1 -> Long.MAX_VALUE;
        case 2 -> now + 1 + rnd.nextLong(TIMEOUT); // in the future
        case 3 -> now - TIMEOUT - 1 - rnd.nextLong(TIMEOUT); // too old
        case 4 -> now - rnd.nextLong(TIMEOUT + 1); // plausible
        default -> rnd.nextLong();
      };
    }

    Input nextInput() {
      int r = rnd.nextInt(100);
      if (r < 8) {
        return new NeighborUp(PEERS.get(rnd.nextInt(PEERS.size())));
      } else if (r < 13) {
        return new NeighborDown(anyPeer(), DownReason.values()[rnd.nextInt(5)]);
      } else if (r < 28) {
        return new TimerExpired(HeartbeatTick.INSTANCE);
      } else if (r < 45) {
        return new Received(anyPeer(), new Ping(forgedTime()));
      } else if (r < 80) {
        NodeId from = anyPeer();
        Long genuine = lastPingSent.get(from);
        long sentAt = genuine != null && rnd.nextBoolean() ? genuine : forgedTime();
        return new Received(from, new Pong(sentAt));
      } else if (r < 95) {
        return new Received(anyPeer(), new Digest(List.of(), rnd.nextBoolean()));
      } else if (r < 97) {
        return Start.INSTANCE;
      }
      return new TimerExpired(RecoveryTimer.AntiEntropyTick.INSTANCE);
    }

    /** The rules, restated on the test's own model; updates the model. */
    List<Output> expect(Input input) {
      List<Output> expected = new ArrayList<>();
      if (input instanceof NeighborUp u) {
        up.add(u.peer());
        monitored.putIfAbsent(u.peer(), new Link(now));
      } else if (input instanceof NeighborDown d) {
        up.remove(d.peer());
        monitored.remove(d.peer());
      } else if (input == Start.INSTANCE) {
        expected.add(NEXT_TICK);
      } else if (input instanceof TimerExpired t && t.timer() == HeartbeatTick.INSTANCE) {
        expected.add(NEXT_TICK);
        List<Output> failed = new ArrayList<>();
        for (Map.Entry<NodeId, Link> e : List.copyOf(monitored.entrySet())) {
          if (now - e.getValue().lastHeard > TIMEOUT) {
            failed.add(new LinkFailed(e.getKey(), DownReason.HEARTBEAT_TIMEOUT));
            reached("link failed");
            monitored.remove(e.getKey());
          } else {
            expected.add(new Send(e.getKey(), new Ping(now)));
            reached("ping sent");
            lastPingSent.put(e.getKey(), now);
          }
        }
        expected.addAll(failed);
      } else if (input instanceof Received r && !monitored.containsKey(r.from())) {
        if (STRANGERS.contains(r.from())) {
          reached("stranger ignored");
        }
      } else if (input instanceof Received r) {
        Link link = monitored.get(r.from());
        link.lastHeard = now;
        if (r.message() instanceof Ping p) {
          expected.add(new Send(r.from(), new Pong(p.sentAt())));
          reached("pong sent");
        } else if (r.message() instanceof Pong p) {
          long rtt = now - p.sentAt();
          if (rtt >= 0 && rtt <= TIMEOUT) {
            reached(link.smoothed < 0 ? "first RTT sample" : "smoothed RTT sample");
            link.smoothed =
                link.smoothed < 0 ? rtt : link.smoothed + (rtt - link.smoothed) / 8; // gain 1/8
            expected.add(
                new RttMeasured(r.from(), Duration.ofNanos(rtt), Duration.ofNanos(link.smoothed)));
          } else {
            reached("forged pong ignored");
          }
        }
      }
      return expected;
    }

    /** The bounds, independent of the exact model. */
    void checkBounds(Input input, List<Output> outputs, Map<NodeId, Long> heardBefore) {
      assertTrue(heartbeat.monitoredLinks() <= up.size(), "more links monitored than neighbours");
      for (Output o : outputs) {
        if (o instanceof Send s && s.message() instanceof Ping) {
          assertTrue(
              input instanceof TimerExpired && monitored.containsKey(s.to()),
              () -> "ping to an unmonitored peer " + s.to());
        } else if (o instanceof Send s && s.message() instanceof Pong) {
          assertTrue(monitored.containsKey(s.to()), () -> "pong to an unmonitored peer " + s.to());
        } else if (o instanceof LinkFailed f) {
          assertTrue(up.contains(f.peer()), () -> "failure of a non-neighbour " + f.peer());
          Long heard = heardBefore.get(f.peer());
          assertTrue(
              heard != null && now - heard > TIMEOUT, () -> "failure of a link heard at " + heard);
        } else if (o instanceof RttMeasured m) {
          long rtt = m.smoothedRtt().toNanos();
          assertTrue(rtt >= 0 && rtt <= TIMEOUT, () -> "RTT out of range " + m);
        }
      }
    }
  }
}
