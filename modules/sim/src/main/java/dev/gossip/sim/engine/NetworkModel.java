package dev.gossip.sim.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How the simulated network behaves apart from the protocol.
 *
 * @param latency one-way latency of each message.
 * @param loss probability that a message is silently lost (0 for TCP-like links).
 * @param connectTimeout how long a connection attempt across a partition takes to fail; a crashed
 *     or unknown peer refuses at once (one round trip).
 * @param rejoin whether a node that was in the overlay may send Join again. The core always
 *     re-joins once its views are exhausted (an extension beyond the paper); false discards such
 *     re-Joins in the network so that the paper's protocol can be measured.
 */
public record NetworkModel(
    LatencyModel latency, double loss, Duration connectTimeout, boolean rejoin) {
  public NetworkModel {
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (loss < 0 || loss >= 1) {
      throw new IllegalArgumentException("loss must be in [0, 1), was " + loss);
    }
  }
}
