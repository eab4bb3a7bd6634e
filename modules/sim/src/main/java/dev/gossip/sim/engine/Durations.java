package dev.gossip.sim.engine;

import java.time.Duration;
import java.util.List;

/** Durations written as in scenario files: {@code 250ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
public final class Durations {
  private Durations() {}

  /** The units a duration may end with. */
  public static final List<String> UNITS = List.of("ns", "us", "ms", "s", "m", "h", "d");

  public static Duration parse(String text) {
    String t = text.trim();
    int i = 0;
    while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
      i++;
    }
    double value;
    try {
      value = Double.parseDouble(t.substring(0, i));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "not a duration '" + text + "': a number then a unit, one of " + units());
    }
    String unit = t.substring(i).trim();
    double nanos =
        switch (unit) {
          case "ns" -> value;
          case "us" -> value * 1e3;
          case "ms" -> value * 1e6;
          case "s" -> value * 1e9;
          case "m" -> value * 60e9;
          case "h" -> value * 3600e9;
          case "d" -> value * 86400e9;
          default ->
              throw new IllegalArgumentException(
                  (unit.isEmpty() ? "no unit" : "unknown unit '" + unit + "'")
                      + " in duration '"
                      + text
                      + "': accepted units "
                      + units());
        };
    return Duration.ofNanos((long) nanos);
  }

  private static String units() {
    return String.join(", ", UNITS);
  }
}
