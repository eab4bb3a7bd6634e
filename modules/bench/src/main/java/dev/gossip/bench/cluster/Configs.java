package dev.gossip.bench.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Settings both systems under test share, so they get the same threads and logging. */
final class Configs {

  private Configs() {}

  /**
   * Two threads per dispatcher per node (the machine's cores), errors only in the log, and a
   * terminated system does not run coordinated shutdown: a kill is a crash, not a graceful leave.
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
          "pekko.actor.default-dispatcher.fork-join-executor.parallelism-max = 2",
          "pekko.actor.internal-dispatcher.fork-join-executor.parallelism-max = 2",
          "pekko.coordinated-shutdown.run-by-actor-system-terminate = off",
          "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off");

  static Config with(String extra) {
    return ConfigFactory.parseString(extra + "\n" + COMMON)
        .withFallback(ConfigFactory.load())
        .resolve();
  }
}
