package dev.gossip.sim.engine;

import java.time.Duration;

/** Durations written as in scenario files: {@code 250ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
public final class Durations {
  private Durations() {}

  public static Duration parse(String text) {
    String t = text.trim();
    int i = 0;
    while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("not a duration: " + text);
    }
    double value = Double.parseDouble(t.substring(0, i));
    String unit = t.substring(i);
    double nanos =
        switch (unit) {
          case "ns" -> value;
          case "us" -> value * 1e3;
          case "ms" -> value * 1e6;
          case "s" -> value * 1e9;
          case "m" -> value * 60e9;
          case "h" -> value * 3600e9;
          case "d" -> value * 86400e9;
          default -> throw new IllegalArgumentException("unknown unit in duration: " + text);
        };
    return Duration.ofNanos((long) nanos);
  }
}
