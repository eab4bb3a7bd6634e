package dev.gossip.sim.scenario;

import dev.gossip.sim.engine.Durations;
import dev.gossip.sim.engine.LatencyModel;
import java.util.List;

/**
 * The checks a scenario value must pass when its file is loaded. Each throws {@link
 * IllegalArgumentException} saying what is wrong; {@link Scenario} adds the file, key and value.
 */
final class Values {
  private Values() {}

  /** Accepts a value or says what is wrong with it. */
  @FunctionalInterface
  interface Check {
    void check(String value);
  }

  /** A whole number of at least {@code min}. */
  static Check atLeast(int min) {
    return v -> {
      int n;
      try {
        n = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a whole number");
      }
      if (n < min) {
        throw new IllegalArgumentException("must be at least " + min);
      }
    };
  }

  /** A whole number of percent below 100: a share of the nodes that leaves some alive. */
  static Check percent() {
    return v -> {
      atLeast(0).check(v);
      if (Integer.parseInt(v) > 99) {
        throw new IllegalArgumentException("a percentage from 0 to 99");
      }
    };
  }

  /** A probability from 0 to {@code max}. */
  static Check probability(double max) {
    return v -> {
      double p = decimal(v);
      if (!(p >= 0 && p <= max)) {
        throw new IllegalArgumentException("a probability from 0 to " + max);
      }
    };
  }

  /** A number above 0. */
  static Check positive() {
    return v -> {
      if (!(decimal(v) > 0)) {
        throw new IllegalArgumentException("must be above 0");
      }
    };
  }

  static Check duration() {
    return Durations::parse;
  }

  /** A duration above 0: an interval or timeout that would otherwise never advance time. */
  static Check positiveDuration() {
    return v -> {
      if (Durations.parse(v).isZero()) {
        throw new IllegalArgumentException("must be above 0");
      }
    };
  }

  /** {@code off} or a duration. */
  static Check durationOrOff() {
    return v -> {
      if (!v.equals("off")) {
        Durations.parse(v);
      }
    };
  }

  static Check latency() {
    return v -> LatencyModel.parse(v, 0);
  }

  static Check oneOf(String... choices) {
    return oneOf(List.of(choices));
  }

  static Check oneOf(List<String> accepted) {
    return v -> {
      if (!accepted.contains(v)) {
        throw new IllegalArgumentException("one of " + String.join(", ", accepted));
      }
    };
  }

  /** A list with a comma between values, at least one, each passing {@code element}. */
  static Check listOf(Check element) {
    return v -> {
      List<String> values = Scenario.split(v);
      if (values.isEmpty()) {
        throw new IllegalArgumentException("no value in the list");
      }
      for (String e : values) {
        try {
          element.check(e);
        } catch (IllegalArgumentException x) {
          throw new IllegalArgumentException("'" + e + "': " + x.getMessage());
        }
      }
    };
  }

  static Check seeds() {
    return Scenario::parseSeeds;
  }

  private static double decimal(String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number");
    }
  }
}
