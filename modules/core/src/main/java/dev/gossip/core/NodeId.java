package dev.gossip.core;

import java.util.Comparator;
import java.util.Objects;

/**
 * A node's identity: the address it advertises plus an incarnation chosen at start, so a process
 * restarted on the same address is a new node and stale state about the old one dies.
 *
 * <p>Incarnation {@value #UNKNOWN_INCARNATION} marks a contact address whose incarnation is not
 * known yet; such ids are used only to reach a contact and never enter a view.
 */
public record NodeId(String host, int port, long incarnation) implements Comparable<NodeId> {

  public static final long UNKNOWN_INCARNATION = 0;

  private static final Comparator<NodeId> ORDER =
      Comparator.comparing(NodeId::host)
          .thenComparingInt(NodeId::port)
          .thenComparingLong(NodeId::incarnation);

  public NodeId {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 1..65535, was " + port);
    }
    if (incarnation < 0) {
      throw new IllegalArgumentException("incarnation must be >= 0, was " + incarnation);
    }
  }

  /** A contact address: where to send a Join before the contact's incarnation is known. */
  public static NodeId contact(String host, int port) {
    return new NodeId(host, port, UNKNOWN_INCARNATION);
  }

  public boolean isContact() {
    return incarnation == UNKNOWN_INCARNATION;
  }

  public boolean sameAddress(NodeId other) {
    return port == other.port && host.equals(other.host);
  }

  @Override
  public int compareTo(NodeId other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return host + ":" + port + "#" + incarnation;
  }
}
