package dev.gossip.core;

/** A setting is out of range; {@link #key()} names it as it appears in configuration. */
public final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public InvalidSettingException(String key, String problem) {
    super("invalid setting " + key + ": " + problem);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
