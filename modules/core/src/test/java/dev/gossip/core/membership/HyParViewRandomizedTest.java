package dev.gossip.core.membership;

import static dev.gossip.core.testing.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gossip.core.Close;
import dev.gossip.core.Connect;
import dev.gossip.core.DownReason;
import dev.gossip.core.Input;
import dev.gossip.core.LinkFailed;
import dev.gossip.core.NeighborDown;
import dev.gossip.core.NeighborUp;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import dev.gossip.core.Received;
import dev.gossip.core.Send;
import dev.gossip.core.Start;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.message.Disconnect;
import dev.gossip.core.message.ForwardJoin;
import dev.gossip.core.message.Join;
import dev.gossip.core.message.Message;
import dev.gossip.core.message.Neighbor;
import dev.gossip.core.message.NeighborReply;
import dev.gossip.core.message.Shuffle;
import dev.gossip.core.message.ShuffleReply;
import dev.gossip.core.testing.Recorder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random operation runs against one HyParView: every membership message from a pool of peers
 * (hostile ones included), timer expiries, link failures and join commands, with the invariants
 * checked after every step. A failure names the seed and the step, so it replays.
 */
class HyParViewRandomizedTest {

  private static final int STEPS = 100_000;
  private static final int PHASE = 2_000;
  private static final int PEERS = 40;
  private static final NodeId SELF = node(0);
  private static final MembershipSettings DEFAULTS = MembershipSettings.defaults();

  /** Fewer passive than active slots, so every passive member can be pending at once. */
  private static final MembershipSettings TINY =
      new MembershipSettings(
          3,
          2,
          3,
          1,
          1,
          1,
          DEFAULTS.shuffleInterval(),
          DEFAULTS.neighborRequestTimeout(),
          DEFAULTS.rejoinBackoffMin(),
          DEFAULTS.rejoinBackoffMax(),
          DEFAULTS.suspectRetention());

  private static final DownReason[] REASONS = DownReason.values();

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 0x5EEDL, 20_070_625L})
  void randomInputsKeepTheViewsBoundedDisjointAndConsistentWithTheEvents(long seed) {
    Run run = new Run(seed, DEFAULTS, false);
    run.steps(STEPS);
    run.leave();
    run.assertExercised();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7L})
  void randomInputsKeepTheInvariantsWithAPassiveViewSmallerThanTheActiveView(long seed) {
    Run run = new Run(seed, TINY, false);
    run.steps(STEPS);
    run.leave();
    run.assertExercised();
  }

  @Test
  void aSeedReplaysExactly() {
    Run first = new Run(42, DEFAULTS, true);
    Run second = new Run(42, DEFAULTS, true);
    first.steps(10_000);
    second.steps(10_000);
    assertEquals(first.emitted, second.emitted);
    assertEquals(List.copyOf(first.hv.activeView()), List.copyOf(second.hv.activeView()));
    assertEquals(List.copyOf(first.hv.passiveView()), List.copyOf(second.hv.passiveView()));
  }

  /** One role, one input generator and the state replayed from the role's outputs. */
  private static final class Run {
    final long seed;
    final MembershipSettings settings;
    final SplittableRandom gen;
    final HyParView hv;
    final Recorder out = new Recorder();

    /** Current incarnation per peer address, index 1..PEERS; a restart increments it. */
    final long[] incarnations = new long[PEERS + 1];

    /** Peers up and linked according to NeighborUp/Down and Connect/Close. */
    final Set<NodeId> up = new LinkedHashSet<>();

    final Set<NodeId> linked = new LinkedHashSet<>();

    /** Every output in order, kept only for the replay test. */
    final List<Output> emitted;

    final Map<Kind, Integer> outputCounts = new EnumMap<>(Kind.class);
    int maxActive;
    int maxPassive;
    int step;
    Input input;
    Input previous = Start.INSTANCE;

    Run(long seed, MembershipSettings settings, boolean keepOutputs) {
      this.seed = seed;
      this.settings = settings;
      this.emitted = keepOutputs ? new ArrayList<>() : null;
      this.gen = new SplittableRandom(seed);
      this.hv = new HyParView(SELF, settings, new SplittableRandom(~seed));
      Arrays.fill(incarnations, 1);
      feed(Start.INSTANCE);
      feed(
          new JoinOverlay(List.of(NodeId.contact("node-1", 7000), NodeId.contact("node-2", 7000))));
    }

    void steps(int count) {
      for (int i = 0; i < count; i++) {
        feed(randomInput());
      }
    }

    void leave() {
      feed(Leave.INSTANCE);
      check(
          hv.activeView().isEmpty() && hv.passiveView().isEmpty(), () -> "views left after Leave");
      feed(new Received(node(3), new Join()));
      check(up.isEmpty(), () -> "a neighbour came up after Leave");
    }

    /** Guards against a run that passes only because it never reached the interesting states. */
    void assertExercised() {
      check(maxActive == settings.activeViewSize(), () -> "active view never full: " + maxActive);
      check(
          maxPassive == settings.passiveViewSize(), () -> "passive view never full: " + maxPassive);
      for (Kind kind : Kind.values()) {
        check(
            outputCounts.getOrDefault(kind, 0) > 0,
            () -> "never emitted " + kind + ": " + outputCounts);
      }
    }

    void feed(Input next) {
      step++;
      input = next;
      try {
        hv.handle(next, step * 1_000_000L, out);
      } catch (RuntimeException e) {
        throw new AssertionError(where() + "threw " + e, e);
      }
      previous = next;
      for (Output output : out.take()) {
        if (emitted != null) {
          emitted.add(output);
        }
        checkOutput(output);
      }
      checkInvariants();
    }

    // ---- Invariants ------------------------------------------------------------------------

    void checkOutput(Output output) {
      if (output instanceof NeighborUp u) {
        check(up.add(u.peer()), () -> "NeighborUp for a peer already up: " + u.peer());
        count(Kind.NEIGHBOR_UP);
      } else if (output instanceof NeighborDown d) {
        check(up.remove(d.peer()), () -> "NeighborDown for a peer not up: " + d.peer());
        count(Kind.NEIGHBOR_DOWN);
      } else if (output instanceof Connect c) {
        check(linked.add(c.peer()), () -> "Connect to a peer already linked: " + c.peer());
      } else if (output instanceof Close c) {
        check(linked.remove(c.peer()), () -> "Close of a peer not linked: " + c.peer());
      } else if (output instanceof ContactsUnreachable) {
        count(Kind.CONTACTS_UNREACHABLE);
      } else if (output instanceof Send s) {
        checkSend(s);
      }
    }

    void checkSend(Send s) {
      check(!s.to().sameAddress(SELF), () -> "sent to self: " + s);
      check(
          !s.to().isContact() || s.message() instanceof Join,
          () -> "only Join goes to a contact: " + s);
      Message m = s.message();
      if (m instanceof ForwardJoin fj) {
        check(
            fj.ttl() >= 0 && fj.ttl() <= settings.activeRandomWalkLength(), () -> "walk ttl: " + s);
        count(Kind.FORWARD_JOIN);
      } else if (m instanceof Shuffle sh) {
        check(
            sh.ttl() > 0 && sh.ttl() <= settings.activeRandomWalkLength(), () -> "walk ttl: " + s);
        check(sh.nodes().size() <= settings.maxShuffleNodes(), () -> "oversize shuffle: " + s);
        count(Kind.SHUFFLE);
      } else if (m instanceof ShuffleReply r) {
        check(r.nodes().size() <= settings.maxShuffleNodes(), () -> "oversize reply: " + s);
        count(Kind.SHUFFLE_REPLY);
      } else if (m instanceof Neighbor) {
        count(Kind.NEIGHBOR);
      } else if (m instanceof Disconnect) {
        count(Kind.DISCONNECT);
      } else if (m instanceof Join) {
        count(Kind.JOIN);
      }
    }

    void checkInvariants() {
      Set<NodeId> active = hv.activeView();
      Set<NodeId> passive = hv.passiveView();
      Set<NodeId> pending = hv.pendingNeighbors();
      check(active.size() <= settings.activeViewSize(), () -> "active view too large: " + active);
      check(
          passive.size() <= settings.passiveViewSize(), () -> "passive view too large: " + passive);
      check(pending.size() <= settings.activeViewSize(), () -> "too many pending: " + pending);
      Set<String> addresses = new HashSet<>();
      for (NodeId id : active) {
        check(!passive.contains(id), () -> id + " is both active and passive");
        check(!pending.contains(id), () -> id + " is active and still pending");
      }
      for (Set<NodeId> view : List.of(active, passive)) {
        for (NodeId id : view) {
          check(!id.sameAddress(SELF), () -> "self's address in a view: " + id);
          check(!id.isContact(), () -> "contact id in a view: " + id);
          check(
              addresses.add(id.host() + ":" + id.port()), () -> "two ids at the address of " + id);
        }
      }
      check(up.equals(active), () -> "NeighborUp/Down replay " + up + " != active " + active);
      check(linked.equals(active), () -> "Connect/Close replay " + linked + " != active " + active);
      maxActive = Math.max(maxActive, active.size());
      maxPassive = Math.max(maxPassive, passive.size());
    }

    void check(boolean condition, Supplier<String> what) {
      if (!condition) {
        throw new AssertionError(where() + what.get());
      }
    }

    String where() {
      return "seed " + seed + ", step " + step + ", input " + input + ": ";
    }

    void count(Kind kind) {
      outputCounts.merge(kind, 1, Integer::sum);
    }

    // ---- Input generation ------------------------------------------------------------------

    /**
     * Every fifth phase of {@value #PHASE} steps the node is cut off: no peer reaches it, its links
     * and requests fail and its timers fire, so it goes through join rounds and their backoff.
     */
    Input randomInput() {
      return (step / PHASE) % 5 == 4 ? isolatedInput() : connectedInput();
    }

    Input isolatedInput() {
      int r = gen.nextInt(100);
      NodeId pending = any(hv.pendingNeighbors());
      if (r < 30) {
        NodeId peer = gen.nextBoolean() ? any(hv.activeView()) : null;
        return new LinkFailed(peer == null ? peer() : peer, REASONS[gen.nextInt(REASONS.length)]);
      } else if (r < 60) {
        return new TimerExpired(MembershipTimer.JoinTick.INSTANCE);
      } else if (r < 80 && pending != null) {
        return new TimerExpired(new MembershipTimer.NeighborTimeout(pending));
      } else if (r < 90 && pending != null) {
        return new Received(pending, new NeighborReply(false));
      } else {
        return new TimerExpired(MembershipTimer.ShuffleTick.INSTANCE);
      }
    }

    Input connectedInput() {
      int r = gen.nextInt(100);
      if (r < 10) {
        return received(new Join());
      } else if (r < 20) {
        return received(new ForwardJoin(peer(), ttl()));
      } else if (r < 32) {
        return received(new Neighbor(gen.nextBoolean()));
      } else if (r < 42) {
        NodeId from = gen.nextBoolean() ? any(hv.pendingNeighbors()) : peer();
        return new Received(from == null ? peer() : from, new NeighborReply(gen.nextInt(4) != 0));
      } else if (r < 50) {
        return received(new Disconnect(gen.nextInt(4) == 0));
      } else if (r < 62) {
        return received(new Shuffle(peer(), ttl(), nodes()));
      } else if (r < 70) {
        return received(new ShuffleReply(nodes()));
      } else if (r < 76) {
        return new TimerExpired(MembershipTimer.ShuffleTick.INSTANCE);
      } else if (r < 80) {
        return new TimerExpired(MembershipTimer.JoinTick.INSTANCE);
      } else if (r < 85) {
        NodeId peer = gen.nextBoolean() ? any(hv.pendingNeighbors()) : peer();
        return new TimerExpired(new MembershipTimer.NeighborTimeout(peer == null ? peer() : peer));
      } else if (r < 93) {
        NodeId peer = gen.nextBoolean() ? any(hv.activeView()) : peer();
        return new LinkFailed(peer == null ? peer() : peer, REASONS[gen.nextInt(REASONS.length)]);
      } else if (r < 95) {
        List<NodeId> contacts = new ArrayList<>();
        for (int i = gen.nextInt(4); i > 0; i--) {
          contacts.add(gen.nextBoolean() ? NodeId.contact("node-" + address(), 7000) : peer());
        }
        return new JoinOverlay(contacts);
      } else if (r < 96) {
        return Start.INSTANCE;
      } else {
        return previous; // a duplicated message, timer or command
      }
    }

    Received received(Message message) {
      return new Received(peer(), message);
    }

    /**
     * Half the time a node this one knows of, else one from the pool: mostly current incarnations,
     * sometimes self (any incarnation), a contact id, an older incarnation or a restarted node.
     */
    NodeId peer() {
      if (gen.nextBoolean()) {
        NodeId known = any(known());
        if (known != null) {
          return known;
        }
      }
      int r = gen.nextInt(1000);
      if (r < 20) {
        return SELF;
      }
      if (r < 30) {
        return new NodeId(SELF.host(), SELF.port(), gen.nextInt(4));
      }
      int i = address();
      if (r < 40) {
        return NodeId.contact("node-" + i, 7000);
      }
      if (r < 60 && incarnations[i] > 1) {
        return id(i, 1 + gen.nextLong(incarnations[i] - 1));
      }
      if (r < 65) {
        incarnations[i]++;
      }
      return id(i, incarnations[i]);
    }

    int address() {
      return 1 + gen.nextInt(PEERS);
    }

    List<NodeId> known() {
      List<NodeId> known = new ArrayList<>(hv.activeView());
      known.addAll(hv.passiveView());
      known.addAll(hv.pendingNeighbors());
      return known;
    }

    NodeId any(Set<NodeId> from) {
      return any(List.copyOf(from));
    }

    NodeId any(List<NodeId> from) {
      return from.isEmpty() ? null : from.get(gen.nextInt(from.size()));
    }

    int ttl() {
      int arwl = settings.activeRandomWalkLength();
      return switch (gen.nextInt(10)) {
        case 0 -> Integer.MIN_VALUE;
        case 1 -> -1 - gen.nextInt(5);
        case 2 -> Integer.MAX_VALUE;
        case 3 -> arwl + 1 + gen.nextInt(100);
        case 4 -> settings.passiveRandomWalkLength();
        default -> gen.nextInt(arwl + 1);
      };
    }

    /** Up to twice the allowed size, with self, contacts, duplicates and stale ids among them. */
    List<NodeId> nodes() {
      List<NodeId> nodes = new ArrayList<>();
      for (int i = gen.nextInt(2 * settings.maxShuffleNodes() + 1); i > 0; i--) {
        nodes.add(!nodes.isEmpty() && gen.nextInt(8) == 0 ? any(nodes) : peer());
      }
      return nodes;
    }

    static NodeId id(int address, long incarnation) {
      return new NodeId("node-" + address, 7000, incarnation);
    }
  }

  private enum Kind {
    NEIGHBOR_UP,
    NEIGHBOR_DOWN,
    CONTACTS_UNREACHABLE,
    JOIN,
    FORWARD_JOIN,
    NEIGHBOR,
    DISCONNECT,
    SHUFFLE,
    SHUFFLE_REPLY
  }
}
