package dev.gossip.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/** Seeded random choices over insertion-ordered collections, so a seed replays exactly. */
public final class Sampling {
  private Sampling() {}

  /** A uniformly random element of {@code from} that {@code allowed} accepts, or null if none. */
  public static <T> T pick(Collection<T> from, RandomGenerator random, Predicate<T> allowed) {
    T chosen = null;
    int seen = 0;
    for (T candidate : from) {
      // Reservoir sampling of size one: no copy of the collection.
      if (allowed.test(candidate) && random.nextInt(++seen) == 0) {
        chosen = candidate;
      }
    }
    return chosen;
  }

  /** Up to {@code count} distinct random elements of {@code from} that {@code allowed} accepts. */
  public static <T> List<T> sample(
      Collection<T> from, int count, RandomGenerator random, Predicate<T> allowed) {
    List<T> pool = new ArrayList<>(from.size());
    for (T candidate : from) {
      if (allowed.test(candidate)) {
        pool.add(candidate);
      }
    }
    int n = Math.min(count, pool.size());
    for (int i = 0; i < n; i++) {
      int j = i + random.nextInt(pool.size() - i);
      T swap = pool.get(i);
      pool.set(i, pool.get(j));
      pool.set(j, swap);
    }
    return new ArrayList<>(pool.subList(0, n));
  }
}
