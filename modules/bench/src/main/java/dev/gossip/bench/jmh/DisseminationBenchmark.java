package dev.gossip.bench.jmh;

import dev.gossip.core.MessageId;
import dev.gossip.core.NeighborUp;
import dev.gossip.core.NodeId;
import dev.gossip.core.Outbox;
import dev.gossip.core.Received;
import dev.gossip.core.dissemination.Plumtree;
import dev.gossip.core.dissemination.PlumtreeSettings;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Graft;
import dev.gossip.core.message.IHave;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Plumtree's hot paths on one node with a full active view (4 eager peers, 1 lazy, the paper's
 * active view of 5). Inputs are built before the measurement, as the link's decoder would have
 * built them, so the figures are the handler's own time and allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DisseminationBenchmark {

  /** Inputs in the ring for first receipts: more than seen-capacity, so ids are evicted first. */
  private static final int RING = 1 << 18;

  static NodeId node(int i) {
    return new NodeId("10.0.0." + (i % 250 + 1), 7355 + i / 250, 1);
  }

  /** One node, its peers, and an outbox that hands every output to the Blackhole. */
  @State(Scope.Thread)
  public static class Node {
    final NodeId self = node(0);
    final NodeId origin = node(100);
    final List<NodeId> eager = List.of(node(1), node(2), node(3), node(4));
    final NodeId lazy = node(5);
    Plumtree plumtree;
    Outbox out;
    long now;

    void init(Blackhole bh) {
      plumtree = new Plumtree(self, PlumtreeSettings.defaults());
      out = bh::consume;
      for (NodeId peer : eager) {
        plumtree.handle(new NeighborUp(peer), now, out);
      }
      plumtree.handle(new NeighborUp(lazy), now, out);
      // A duplicate from the lazy-to-be peer prunes it, as the tree would have.
      MessageId first = new MessageId(origin, 1);
      plumtree.handle(new Received(eager.get(0), new Gossip(first, 1, new byte[256])), now, out);
      plumtree.handle(new Received(lazy, new Gossip(first, 1, new byte[256])), now, out);
    }
  }

  @State(Scope.Thread)
  public static class FirstReceipt extends Node {
    Received[] inputs;
    int next;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
      init(bh);
      byte[] payload = new byte[256];
      inputs = new Received[RING];
      for (int i = 0; i < RING; i++) {
        inputs[i] =
            new Received(eager.get(i % 4), new Gossip(new MessageId(origin, i + 2L), 1, payload));
      }
    }
  }

  /** Gossip for a message never seen: deliver, push to 3 eager peers, queue an IHave for 1. */
  @Benchmark
  public void gossipFirstReceipt(FirstReceipt s) {
    Received in = s.inputs[s.next];
    s.next = (s.next + 1) & (RING - 1);
    s.now += 1_000;
    s.plumtree.handle(in, s.now, s.out);
  }

  @State(Scope.Thread)
  public static class Delivered extends Node {
    static final int KNOWN = 1024;
    Received[] duplicates;
    Received[] grafts;
    Received ihaveDelivered;
    Received ihaveMissing;
    int next;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
      init(bh);
      byte[] payload = new byte[256];
      duplicates = new Received[KNOWN];
      grafts = new Received[KNOWN];
      List<Announcement> known = new ArrayList<>();
      List<Announcement> unknown = new ArrayList<>();
      for (int i = 0; i < KNOWN; i++) {
        MessageId id = new MessageId(origin, i + 2L);
        Gossip g = new Gossip(id, 1, payload);
        plumtree.handle(new Received(eager.get(0), g), now, out);
        duplicates[i] = new Received(lazy, g);
        grafts[i] = new Received(lazy, Graft.of(id));
        if (i < IHAVE_BATCH) {
          known.add(new Announcement(id, 2));
          unknown.add(new Announcement(new MessageId(node(101), i + 1L), 2));
        }
      }
      ihaveDelivered = new Received(lazy, new IHave(known));
      ihaveMissing = new Received(lazy, new IHave(unknown));
    }
  }

  /** Announcements per IHave in the IHave benchmarks. */
  static final int IHAVE_BATCH = 32;

  /** Gossip for a delivered message from a lazy peer: counted and dropped. */
  @Benchmark
  public void gossipDuplicate(Delivered s) {
    Received in = s.duplicates[s.next];
    s.next = (s.next + 1) & (Delivered.KNOWN - 1);
    s.plumtree.handle(in, s.now, s.out);
  }

  @State(Scope.Thread)
  public static class Batch {
    @Param({"delivered", "missing"})
    public String ids;
  }

  /**
   * An IHave of 32 announcements: for delivered ids (the stable tree's case: each is checked
   * against the delivery's round for the optimisation) or for missing ids (each becomes an
   * Announced event for the recovery role).
   */
  @Benchmark
  public void ihaveBatch(Delivered s, Batch b) {
    s.plumtree.handle(b.ids.equals("delivered") ? s.ihaveDelivered : s.ihaveMissing, s.now, s.out);
  }

  /** A Graft for one cached message: the payload is resent to the grafting peer. */
  @Benchmark
  public void graft(Delivered s) {
    Received in = s.grafts[s.next];
    s.next = (s.next + 1) & (Delivered.KNOWN - 1);
    s.plumtree.handle(in, s.now, s.out);
  }
}
