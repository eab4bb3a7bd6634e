package dev.gossip.sim.engine;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * One-way message latency between two nodes, in nanoseconds. A per-link model keeps one latency per
 * pair (both directions), so a link stays FIFO as TCP is; per-message models may reorder.
 */
public sealed interface LatencyModel {

  long sample(int from, int to, RandomGenerator random);

  /** Whether messages on one link draw different latencies on top of the link's own. */
  default boolean jittered() {
    return false;
  }

  /** Every message takes the same time. */
  record Constant(Duration latency) implements LatencyModel {
    @Override
    public long sample(int from, int to, RandomGenerator random) {
      return latency.toNanos();
    }
  }

  /** Each message draws a latency uniformly from [min, max]. */
  record Uniform(Duration min, Duration max) implements LatencyModel {
    @Override
    public long sample(int from, int to, RandomGenerator random) {
      long lo = min.toNanos();
      return lo + random.nextLong(max.toNanos() - lo + 1);
    }
  }

  /**
   * Each link has a base latency drawn uniformly from [min, max] by a hash of the unordered pair
   * and the seed: the geography of a WAN without storing a matrix. Each message adds a jitter drawn
   * uniformly from [0, jitter]; the simulation then keeps the link FIFO, as TCP does (a message
   * never arrives before the one sent ahead of it).
   */
  record PerLink(Duration min, Duration max, Duration jitter, long seed) implements LatencyModel {

    /** Without jitter: every message on a link takes the same time. */
    public PerLink(Duration min, Duration max, long seed) {
      this(min, max, Duration.ZERO, seed);
    }

    @Override
    public long sample(int from, int to, RandomGenerator random) {
      long j = jitter.toNanos();
      return base(from, to) + (j == 0 ? 0 : random.nextLong(j + 1));
    }

    @Override
    public boolean jittered() {
      return !jitter.isZero();
    }

    private long base(int from, int to) {
      long a = Math.min(from, to);
      long b = Math.max(from, to);
      long h = mix(seed ^ mix(a * 0x9E3779B97F4A7C15L + b));
      long lo = min.toNanos();
      return lo + Math.floorMod(h, max.toNanos() - lo + 1);
    }

    private static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }

  /** Each message draws from a log-normal distribution: a long tail as seen on real networks. */
  record LogNormal(Duration median, double sigma) implements LatencyModel {
    @Override
    public long sample(int from, int to, RandomGenerator random) {
      return Math.max(1, (long) (median.toNanos() * Math.exp(sigma * random.nextGaussian())));
    }
  }

  /**
   * Parses {@code constant 20ms}, {@code uniform 5ms 25ms}, {@code per-link 5ms 25ms} (optionally
   * followed by {@code jitter 2ms}) or {@code lognormal 20ms 0.5}.
   */
  static LatencyModel parse(String text, long seed) {
    String[] p = text.trim().split("\\s+");
    int arguments =
        switch (p[0]) {
          case "constant" -> 2;
          case "uniform", "lognormal" -> 3;
          case "per-link" -> p.length == 5 && p[3].equals("jitter") ? 5 : 3;
          default -> throw new IllegalArgumentException("unknown latency model: " + text);
        };
    if (p.length != arguments) {
      throw new IllegalArgumentException("malformed latency model: " + text);
    }
    return switch (p[0]) {
      case "constant" -> new Constant(Durations.parse(p[1]));
      case "uniform" -> new Uniform(Durations.parse(p[1]), Durations.parse(p[2]));
      case "per-link" ->
          new PerLink(
              Durations.parse(p[1]),
              Durations.parse(p[2]),
              p.length == 5 ? Durations.parse(p[4]) : Duration.ZERO,
              seed);
      default -> new LogNormal(Durations.parse(p[1]), Double.parseDouble(p[2]));
    };
  }
}
