package dev.gossip.bench.jmh;

import dev.gossip.core.NodeId;
import dev.gossip.core.Outbox;
import dev.gossip.core.Received;
import dev.gossip.core.membership.HyParView;
import dev.gossip.core.membership.MembershipSettings;
import dev.gossip.core.message.Neighbor;
import dev.gossip.core.message.Shuffle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
 * HyParView handling a Shuffle with a full active view (5) and a full passive view (30), the
 * paper's sizes. {@code accept}: the walk ends here (ttl 1), the node replies with a passive sample
 * and merges the 7 received entries, evicting; {@code forward}: the walk goes on to a random active
 * member.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MembershipBenchmark {

  private static final int RING = 256;

  @Param({"accept", "forward"})
  public String walk;

  private HyParView membership;
  private Outbox out;
  private Received[] shuffles;
  private int next;

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    out = bh::consume;
    membership =
        new HyParView(
            DisseminationBenchmark.node(0),
            MembershipSettings.defaults(),
            new SplittableRandom(42));
    List<NodeId> active = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      active.add(DisseminationBenchmark.node(i));
      membership.handle(new Received(active.get(i - 1), new Neighbor(true)), 0, out);
    }
    int ttl = walk.equals("accept") ? 1 : 6;
    shuffles = new Received[RING];
    int fresh = 1000;
    for (int i = 0; i < RING; i++) {
      NodeId origin = DisseminationBenchmark.node(fresh++);
      List<NodeId> nodes = new ArrayList<>();
      nodes.add(origin);
      for (int k = 0; k < 6; k++) {
        nodes.add(DisseminationBenchmark.node(fresh++));
      }
      shuffles[i] = new Received(active.get(i % 5), new Shuffle(origin, ttl, nodes));
    }
    // Fill the passive view before measuring.
    for (Received s : shuffles) {
      membership.handle(s, 0, out);
    }
  }

  @Benchmark
  public void shuffle() {
    Received in = shuffles[next];
    next = (next + 1) & (RING - 1);
    membership.handle(in, 0, out);
  }
}
