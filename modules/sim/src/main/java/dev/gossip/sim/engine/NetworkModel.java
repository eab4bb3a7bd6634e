package dev.gossip.sim.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How the simulated network behaves apart from the protocol.
 *
 * @param latency one-way latency of each message (with its jitter, if any).
 * @param loss probability that a message is dropped for good (0 for TCP-like links).
 * @param connectTimeout how long a connection attempt across a partition takes to fail; a crashed
 *     or unknown peer refuses at once (one round trip).
 * @param rejoin whether a node that was in the overlay may send Join again. The core always
 *     re-joins once its views are exhausted (an extension beyond the paper); false discards such
 *     re-Joins in the network so that the paper's protocol can be measured.
 * @param tcpLoss probability that a transmission is lost and retransmitted, as TCP does: the
 *     message arrives {@code retransmissionTimeout} late (doubling for each further loss) and the
 *     later messages on its link wait behind it. 0: none.
 * @param retransmissionTimeout the wait before a lost transmission is sent again.
 * @param serviceTime how long a node takes to handle one message: a node handles one input at a
 *     time, so what arrives while it is busy waits. 0: handling takes no time.
 */
public record NetworkModel(
    LatencyModel latency,
    double loss,
    Duration connectTimeout,
    boolean rejoin,
    double tcpLoss,
    Duration retransmissionTimeout,
    Duration serviceTime) {

  /** Linux's minimum retransmission timeout ({@code TCP_RTO_MIN}). */
  public static final Duration LINUX_MIN_RTO = Duration.ofMillis(200);

  public NetworkModel {
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(retransmissionTimeout, "retransmissionTimeout");
    Objects.requireNonNull(serviceTime, "serviceTime");
    probability("loss", loss);
    probability("tcp-loss", tcpLoss);
    if (retransmissionTimeout.isNegative() || serviceTime.isNegative()) {
      throw new IllegalArgumentException(
          "retransmission timeout and service time must not be negative");
    }
  }

  /** Links without jitter, retransmissions or busy nodes. */
  public NetworkModel(LatencyModel latency, double loss, Duration connectTimeout, boolean rejoin) {
    this(latency, loss, connectTimeout, rejoin, 0, LINUX_MIN_RTO, Duration.ZERO);
  }

  private static void probability(String name, double p) {
    if (p < 0 || p >= 1) {
      throw new IllegalArgumentException(name + " must be in [0, 1), was " + p);
    }
  }
}
