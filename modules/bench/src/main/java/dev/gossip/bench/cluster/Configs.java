package dev.gossip.bench.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Settings the two Pekko-based systems under test share. They change nothing that tunes
 * performance: both run their library's default dispatchers.
 */
final class Configs {

  private Configs() {}

  /**
   * Errors only in the log, and a terminated system does not run coordinated shutdown: a kill is a
   * crash, not a graceful leave.
   */
  static final String COMMON =
      String.join(
          "\n",
          "pekko.loglevel = ERROR",
          "pekko.stdout-loglevel = ERROR",
          "pekko.log-dead-letters = off",
          "pekko.log-dead-letters-during-shutdown = off",
          "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
          "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
          "pekko.coordinated-shutdown.run-by-actor-system-terminate = off",
          "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off");

  static Config with(String extra) {
    return ConfigFactory.parseString(extra + "\n" + COMMON)
        .withFallback(ConfigFactory.load())
        .resolve();
  }
}
