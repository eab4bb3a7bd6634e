package dev.gossip.core.heartbeat;

import dev.gossip.core.Check;
import java.time.Duration;

/**
 * Link liveness parameters.
 *
 * @param pingInterval how often each active link is probed. Default 1 s (Pekko Cluster's heartbeat
 *     interval).
 * @param failureTimeout silence after which a link is declared failed: any message from the peer
 *     counts as a sign of life. Default 5 s (guess: Pekko Cluster's 3 s acceptable pause plus two
 *     intervals). Shorter detects crashes sooner but risks dropping a peer paused by GC.
 */
public record HeartbeatSettings(Duration pingInterval, Duration failureTimeout) {

  public HeartbeatSettings {
    Check.positive("heartbeat.ping-interval", pingInterval);
    Check.positive("heartbeat.failure-timeout", failureTimeout);
    Check.that(
        failureTimeout.compareTo(pingInterval) > 0,
        "heartbeat.failure-timeout",
        "must be longer than ping-interval (" + pingInterval + ")");
  }

  public static HeartbeatSettings defaults() {
    return new HeartbeatSettings(Duration.ofSeconds(1), Duration.ofSeconds(5));
  }
}
