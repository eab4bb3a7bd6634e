package dev.gossip.sim.engine;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * When a message sent on a link arrives: its latency, plus the retransmissions of a TCP-like link,
 * with every link kept FIFO once messages on it can take different times. A lost transmission is
 * sent again after the retransmission timeout, which doubles for each further loss of the same
 * message (TCP's exponential backoff, up to Linux's 120 s), and every later message on the link
 * waits behind it (head-of-line blocking).
 *
 * <p>To keep links FIFO, each sender remembers the arrival time of the last message on each link
 * that still has one in flight; a link whose last message has arrived constrains nothing and is
 * forgotten, so the memory follows the messages in flight, not the pairs that ever talked.
 */
final class Wire {

  /** Linux's largest retransmission timeout ({@code TCP_RTO_MAX}): the backoff stops doubling. */
  private static final long MAX_RTO = 120_000_000_000L;

  private final LatencyModel latency;
  private final double tcpLoss;
  private final long retransmissionTimeout;
  private final boolean fifo;
  private final RandomGenerator random;
  private InFlight[] inFlight = new InFlight[16];
  private long transmitted;
  private long retransmitted;

  Wire(NetworkModel network, RandomGenerator random) {
    this.latency = network.latency();
    this.tcpLoss = network.tcpLoss();
    this.retransmissionTimeout = network.retransmissionTimeout().toNanos();
    this.fifo = tcpLoss > 0 || latency.jittered();
    this.random = random;
  }

  /**
   * The arrival time of a message that leaves {@code from} for {@code to} at {@code departure}, the
   * simulation's clock being at {@code now} (no later than the departure).
   */
  long arrival(int from, int to, long departure, long now) {
    transmitted++;
    long at = departure + latency.sample(from, to, random);
    if (tcpLoss > 0 && random.nextDouble() < tcpLoss) {
      retransmitted++;
      long timeout = retransmissionTimeout;
      at += timeout;
      while (random.nextDouble() < tcpLoss) {
        timeout = Math.min(2 * timeout, MAX_RTO);
        at += timeout;
      }
    }
    if (!fifo) {
      return at;
    }
    if (from >= inFlight.length) {
      inFlight = Arrays.copyOf(inFlight, Math.max(from + 1, 2 * inFlight.length));
    }
    InFlight links = inFlight[from];
    if (links == null) {
      links = new InFlight();
      inFlight[from] = links;
    }
    return links.after(to, at, now);
  }

  /** Messages put on a link, retransmissions not counted. */
  long transmitted() {
    return transmitted;
  }

  /** Messages that were lost at least once and retransmitted. */
  long retransmitted() {
    return retransmitted;
  }

  /** One sender's links with a message in flight and the arrival time of the last one. */
  private static final class InFlight {
    private int[] peer = new int[8];
    private long[] last = new long[8];
    private int size;

    /**
     * The arrival of a message due at {@code at} on the link to {@code to}, behind its last one.
     */
    long after(int to, long at, long now) {
      for (int i = 0; i < size; i++) {
        if (peer[i] == to) {
          last[i] = Math.max(at, last[i]);
          return last[i];
        }
      }
      forgetArrived(now);
      if (size == peer.length) {
        peer = Arrays.copyOf(peer, 2 * size);
        last = Arrays.copyOf(last, 2 * size);
      }
      peer[size] = to;
      last[size++] = at;
      return at;
    }

    private void forgetArrived(long now) {
      int kept = 0;
      for (int i = 0; i < size; i++) {
        if (last[i] > now) {
          peer[kept] = peer[i];
          last[kept++] = last[i];
        }
      }
      size = kept;
    }
  }
}
