package dev.gossip.core.testing;

import java.util.random.RandomGenerator;

/**
 * A generator that always draws 0, for exact-outbox tests: {@code Sampling.pick} then chooses the
 * last allowed candidate in iteration order, {@code Sampling.sample} keeps iteration order, and
 * first timer delays are 1 ns.
 */
public final class ZeroRandom implements RandomGenerator {
  @Override
  public long nextLong() {
    return 0;
  }
}
