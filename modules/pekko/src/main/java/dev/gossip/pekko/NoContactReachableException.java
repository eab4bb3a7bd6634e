package dev.gossip.pekko;

import java.util.List;

/**
 * A join round tried every contact and none answered. The node keeps retrying with backoff; check
 * the addresses and that the contacts are running.
 */
public final class NoContactReachableException extends GossipException {
  private static final long serialVersionUID = 1L;

  private final List<String> tried;

  public NoContactReachableException(List<String> tried) {
    super(
        "no contact reachable, tried "
            + tried
            + "; check gossip.contacts and that those nodes run (retrying with backoff)",
        null);
    this.tried = List.copyOf(tried);
  }

  /** The addresses tried, as host:port. */
  public List<String> tried() {
    return tried;
  }
}
