package dev.gossip.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Arrival times on jittered and retransmitting links, with the draws scripted. */
class WireTest {

  private static final long MS = 1_000_000L;

  /** Hands out the given draws in order: nextLong(bound) for jitter, nextDouble() for loss. */
  private static final class Script implements RandomGenerator {
    private final ArrayDeque<Long> longs = new ArrayDeque<>();
    private final ArrayDeque<Double> doubles = new ArrayDeque<>();

    Script(List<Long> longs, List<Double> doubles) {
      this.longs.addAll(longs);
      this.doubles.addAll(doubles);
    }

    @Override
    public long nextLong(long bound) {
      long v = longs.remove();
      assertEquals(true, v < bound, "draw " + v + " outside [0, " + bound + ")");
      return v;
    }

    @Override
    public double nextDouble() {
      return doubles.remove();
    }

    @Override
    public long nextLong() {
      throw new AssertionError("unscripted draw");
    }

    void assertUsedUp() {
      assertEquals(0, longs.size() + doubles.size(), "draws left over");
    }
  }

  private static NetworkModel network(LatencyModel latency, double tcpLoss) {
    return new NetworkModel(
        latency, 0, Duration.ofSeconds(1), true, tcpLoss, Duration.ofMillis(200), Duration.ZERO);
  }

  /** 10 ms on every link, plus up to 5 ms of jitter per message. */
  private static final LatencyModel JITTERED =
      LatencyModel.parse("per-link 10ms 10ms jitter 5ms", 1);

  @Test
  void jitterNeverLetsAMessageOvertakeTheOneAheadOfItOnItsLink() {
    Script draws = new Script(List.of(5 * MS, 0L, 0L, 0L, 2 * MS), List.of());
    Wire wire = new Wire(network(JITTERED, 0), draws);
    assertEquals(15 * MS, wire.arrival(0, 1, 0, 0)); // 10 ms + 5 ms of jitter
    assertEquals(15 * MS, wire.arrival(0, 1, MS, MS)); // due at 11 ms, waits for the first
    assertEquals(11 * MS, wire.arrival(0, 2, MS, MS)); // another link: not held
    assertEquals(12 * MS, wire.arrival(1, 0, 2 * MS, 2 * MS)); // the other direction: not held
    assertEquals(32 * MS, wire.arrival(0, 1, 20 * MS, 20 * MS)); // 10 ms + 2 ms, link clear
    draws.assertUsedUp();
  }

  @Test
  void aLostMessageArrivesOneTimeoutLateAndHoldsTheMessagesBehindIt() {
    // Loss draws: the first message lost once, the second not, the third lost twice.
    Script draws = new Script(List.of(), List.of(0.1, 0.9, 0.9, 0.1, 0.1, 0.9, 0.9));
    Wire wire = new Wire(network(new LatencyModel.Constant(Duration.ofMillis(10)), 0.5), draws);
    assertEquals(210 * MS, wire.arrival(0, 1, 0, 0)); // retransmitted after 200 ms
    assertEquals(210 * MS, wire.arrival(0, 1, 5 * MS, 5 * MS)); // due at 15 ms: head-of-line
    // Lost twice: 200 ms, then the doubled timeout, 400 ms.
    assertEquals(900 * MS, wire.arrival(0, 1, 290 * MS, 290 * MS));
    assertEquals(310 * MS, wire.arrival(0, 2, 300 * MS, 300 * MS)); // another link: not held
    assertEquals(2, wire.retransmitted());
    assertEquals(4, wire.transmitted());
    draws.assertUsedUp();
  }

  @Test
  void withoutJitterOrTcpLossNothingIsDrawnAndNothingWaits() {
    Script none = new Script(List.of(), List.of());
    Wire wire = new Wire(network(LatencyModel.parse("per-link 10ms 10ms", 1), 0), none);
    assertEquals(10 * MS, wire.arrival(0, 1, 0, 0));
    assertEquals(11 * MS, wire.arrival(0, 1, MS, MS));
  }

  @Test
  void jitterIsWrittenAfterThePerLinkRange() {
    assertEquals(
        new LatencyModel.PerLink(
            Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(2), 7),
        LatencyModel.parse("per-link 5ms 25ms jitter 2ms", 7));
    assertThrows(
        IllegalArgumentException.class, () -> LatencyModel.parse("per-link 5ms 25ms 2ms", 7));
    assertThrows(IllegalArgumentException.class, () -> LatencyModel.parse("constant", 7));
  }
}
