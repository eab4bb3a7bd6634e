package dev.gossip.core;

import java.time.Duration;

/** Setting validation that names the offending key. */
public final class Check {
  private Check() {}

  public static int atLeast(String key, int value, int min) {
    if (value < min) {
      throw new InvalidSettingException(key, "must be >= " + min + ", was " + value);
    }
    return value;
  }

  public static long atLeast(String key, long value, long min) {
    if (value < min) {
      throw new InvalidSettingException(key, "must be >= " + min + ", was " + value);
    }
    return value;
  }

  public static Duration positive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new InvalidSettingException(key, "must be a positive duration, was " + value);
    }
    return value;
  }

  public static void that(boolean condition, String key, String problem) {
    if (!condition) {
      throw new InvalidSettingException(key, problem);
    }
  }
}
