package dev.gossip.pekko;

import java.time.Duration;
import java.util.Objects;

/**
 * What confirms a broadcast ({@link Gossip#broadcast(byte[], Confirmation)}), like a JGroups RSVP:
 * {@code neighbors} of this node's neighbours acknowledged receiving the message straight from this
 * node, within {@code timeout}. An ack means the message reached that neighbour's dissemination
 * role (it is delivered there and forwarded on), so it survives this node's crash from then on; it
 * says nothing about the nodes further away.
 *
 * @param neighbors how many neighbours must acknowledge, at least 1
 * @param timeout how long to wait for them, positive and at most {@link #MAX_TIMEOUT}
 */
public record Confirmation(int neighbors, Duration timeout) {

  /** The longest wait: a day, far beyond any round trip, and within the scheduler's reach. */
  public static final Duration MAX_TIMEOUT = Duration.ofDays(1);

  /**
   * @throws IllegalArgumentException if {@code neighbors} is less than 1 or {@code timeout} is not
   *     positive or exceeds {@link #MAX_TIMEOUT}
   * @throws NullPointerException if {@code timeout} is null
   */
  public Confirmation {
    Objects.requireNonNull(timeout, "timeout");
    if (neighbors < 1) {
      throw new IllegalArgumentException("neighbors must be at least 1, was " + neighbors);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    if (timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "timeout must be at most " + MAX_TIMEOUT + ", was " + timeout);
    }
  }

  /**
   * Confirmed once {@code neighbors} neighbours acknowledged the message, or failed after {@code
   * timeout}.
   *
   * @throws IllegalArgumentException if {@code neighbors} is less than 1 or {@code timeout} is not
   *     positive or exceeds {@link #MAX_TIMEOUT}
   * @throws NullPointerException if {@code timeout} is null
   */
  public static Confirmation byNeighbors(int neighbors, Duration timeout) {
    return new Confirmation(neighbors, timeout);
  }
}
