package dev.gossip.sim.scenario;

import dev.gossip.core.KeySpelling;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/**
 * Every key a scenario file may set, with the check its value must pass. {@link Scenario} reads
 * values only through these constants and rejects any other key when a file is loaded, so a key the
 * simulator reads is always one a file may set. The defaults live where each value is read; {@code
 * modules/sim/README.md} lists them.
 */
public enum ScenarioKey {
  KIND("kind", Values.oneOf(Scenario.kinds())),
  NODES("nodes", Values.atLeast(1)),
  SEEDS("seeds", Values.seeds()),
  SERIES("series", Values.listOf(Values.oneOf(Scenario.allSeries()))),
  COMPOSITION("composition", Values.oneOf("synchronous", "mailboxes")),

  CYCLE("cycle", Values.positiveDuration()),
  LATENCY("latency", Values.latency()),
  LOSS("loss", Values.probability(1)),
  CONNECT_TIMEOUT("connect-timeout", Values.positiveDuration()),
  // A transmission lost every time would be sent again forever.
  TCP_LOSS("tcp-loss", Values.probability(0.99)),
  RETRANSMISSION_TIMEOUT("retransmission-timeout", Values.positiveDuration()),
  SERVICE_TIME("service-time", Values.duration()),

  HEARTBEAT_INTERVAL("heartbeat-interval", Values.positiveDuration()),
  HEARTBEAT_TIMEOUT("heartbeat-timeout", Values.positiveDuration()),
  ACTIVE_VIEW("active-view", Values.atLeast(1)),
  PASSIVE_VIEW("passive-view", Values.atLeast(0)),
  ARWL("arwl", Values.atLeast(0)),
  PRWL("prwl", Values.atLeast(0)),
  KA("ka", Values.atLeast(0)),
  KP("kp", Values.atLeast(0)),
  ANTI_ENTROPY_INTERVAL("anti-entropy-interval", Values.positiveDuration()),
  IHAVE_INTERVAL("ihave-interval", Values.positiveDuration()),
  MAX_IHAVE_INTERVAL("max-ihave-interval", Values.positiveDuration()),
  JOIN_INTERVAL("join-interval", Values.duration()),
  WARMUP_CYCLES("warmup-cycles", Values.atLeast(0)),
  OPTIMIZATION_THRESHOLD("optimization-threshold", Values.atLeast(1)),
  OPTIMISED_THRESHOLD("optimised.threshold", Values.atLeast(1)),

  FAILURE_CRASH("failure.crash", Values.oneOf("reset", "silent")),
  FAILURE_PERCENTS("failure.percents", Values.listOf(Values.percent())),
  FAILURE_WARM_BROADCASTS("failure.warm-broadcasts", Values.atLeast(0)),
  FAILURE_FIRST_BROADCASTS("failure.first-broadcasts", Values.atLeast(0)),
  FAILURE_BROADCASTS("failure.broadcasts", Values.atLeast(0)),
  FAILURE_BROADCAST_INTERVAL("failure.broadcast-interval", Values.duration()),
  FAILURE_HEALING_CYCLES("failure.healing-cycles", Values.atLeast(0)),

  STABLE_BROADCASTS("stable.broadcasts", Values.atLeast(1)),
  STABLE_BROADCAST_INTERVAL("stable.broadcast-interval", Values.duration()),

  CHURN_PER_CYCLE("churn.per-cycle", Values.atLeast(0)),
  CHURN_CYCLES("churn.cycles", Values.atLeast(1)),
  CHURN_BROADCASTS_PER_CYCLE("churn.broadcasts-per-cycle", Values.atLeast(1)),

  PARTITION_LENGTHS("partition.lengths", Values.listOf(Values.oneOf("short", "long"))),
  PARTITION_SHORT("partition.short", Values.positiveDuration()),
  PARTITION_CYCLES("partition.cycles", Values.atLeast(1)),
  PARTITION_BROADCASTS_PER_SIDE("partition.broadcasts-per-side", Values.atLeast(1)),
  PARTITION_SETTLE_CYCLES("partition.settle-cycles", Values.atLeast(0)),

  FORMATION_SIZES("formation.sizes", Values.listOf(Values.atLeast(2))),
  FORMATION_LIMIT("formation.limit", Values.positiveDuration()),
  FORMATION_STABLE_CYCLES("formation.stable-cycles", Values.atLeast(0)),
  FORMATION_CRASH_PERCENT("formation.crash-percent", Values.percent()),

  MULTI_SENDERS("multi.senders", Values.atLeast(1)),
  MULTI_RATE("multi.rate", Values.positive()),
  MULTI_WARM("multi.warm", Values.duration()),
  MULTI_MEASURE("multi.measure", Values.positiveDuration()),
  MULTI_DRAIN("multi.drain", Values.duration()),
  MULTI_GRAFT_TIMEOUT("multi.graft-timeout", Values.positiveDuration()),
  MULTI_SECOND_GRAFT_TIMEOUT("multi.second-graft-timeout", Values.positiveDuration()),
  MULTI_MAX_GRAFT_TIMEOUT("multi.max-graft-timeout", Values.durationOrOff());

  private final String key;
  private final Values.Check check;

  ScenarioKey(String key, Values.Check check) {
    this.key = key;
    this.check = check;
  }

  /** The key as a file writes it. */
  public String key() {
    return key;
  }

  /** Throws {@link IllegalArgumentException} saying what is wrong if a file may not set it. */
  void check(String value) {
    check.check(value);
  }

  public static Optional<ScenarioKey> named(String key) {
    return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
  }

  /** The known key a misspelt one most likely meant: at most three edits away. */
  static Optional<ScenarioKey> nearest(String key) {
    return Arrays.stream(values())
        .filter(k -> KeySpelling.distance(k.key, key) <= 3)
        .min(Comparator.comparingInt(k -> KeySpelling.distance(k.key, key)));
  }
}
