package dev.gossip.pekko;

import java.net.BindException;

/**
 * The peer listener could not bind {@code gossip.host}:{@code gossip.port}; the message says why
 * when the operating system did (the address is in use, or is not one of this machine's).
 */
public final class BindFailedException extends GossipException {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final int port;
  private final boolean addressInUse;

  public BindFailedException(String host, int port, Throwable cause) {
    super("cannot bind " + host + ":" + port + ": " + reason(cause), cause);
    this.host = host;
    this.port = port;
    this.addressInUse = inUse(cause);
  }

  /** Whether the operating system said that another socket holds the address. */
  public boolean addressInUse() {
    return addressInUse;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  private static boolean inUse(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("in use")) {
        return true;
      }
    }
    return false;
  }

  /** The operating system's word on the bind, found in the cause chain, with what to change. */
  private static String reason(Throwable cause) {
    if (inUse(cause)) {
      return "the address is in use; choose another gossip.port, or 0 for any free port";
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return t.getMessage() + "; check gossip.host (an address of this machine) and gossip.port";
      }
    }
    return (cause == null ? "unknown cause" : cause.toString())
        + "; check gossip.host and gossip.port";
  }
}
