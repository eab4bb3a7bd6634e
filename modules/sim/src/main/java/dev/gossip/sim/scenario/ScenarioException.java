package dev.gossip.sim.scenario;

/**
 * A scenario file the simulator does not accept, found when it is loaded, before any simulation
 * starts. The message is one line: {@code <file>: <key> = <value>: <what is wrong>}.
 */
public final class ScenarioException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String key;

  ScenarioException(String source, String key, String message) {
    super(source + ": " + message);
    this.source = source;
    this.key = key;
  }

  ScenarioException(String source, String key, String value, String problem) {
    this(source, key, key + " = " + value + ": " + problem);
  }

  /** The file (or, for a scenario shipped in the jar, its resource name). */
  public String source() {
    return source;
  }

  /** The key at fault. */
  public String key() {
    return key;
  }
}
