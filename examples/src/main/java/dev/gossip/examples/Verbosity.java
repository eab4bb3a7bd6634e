package dev.gossip.examples;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The {@code -v} flag every demo shares: protocol logs at DEBUG on stderr instead of warnings. */
public final class Verbosity {

  @Option(
      names = {"-v", "--verbose"},
      description =
          "Verbose logs on stderr, each line naming its node: the protocol at DEBUG (neighbours"
              + " up and down, joins, shuffles, grafts and prunes, anti-entropy resends, links"
              + " opened and closed) and Pekko at INFO.")
  boolean verbose;

  public boolean verbose() {
    return verbose;
  }

  /** Sets the log levels for this run; call before starting any node. */
  public void apply() {
    if (verbose) {
      ((Logger) LoggerFactory.getLogger("dev.gossip")).setLevel(Level.DEBUG);
      ((Logger) LoggerFactory.getLogger("org.apache.pekko")).setLevel(Level.INFO);
    }
  }
}
