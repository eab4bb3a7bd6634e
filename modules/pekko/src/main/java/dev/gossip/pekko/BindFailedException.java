package dev.gossip.pekko;

/** The peer listener could not bind, usually because the address is in use. */
public final class BindFailedException extends GossipException {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final int port;

  public BindFailedException(String host, int port, Throwable cause) {
    super(
        "cannot bind "
            + host
            + ":"
            + port
            + " (address in use?); choose another gossip.port, or 0 for any free port",
        cause);
    this.host = host;
    this.port = port;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }
}
