package dev.gossip.pekko;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueType;
import dev.gossip.core.InvalidSettingException;
import dev.gossip.core.KeySpelling;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys reference.conf defines under {@code gossip}: a key the application sets that is not one
 * of them (a typo such as {@code membership.active-veiw-size}) would otherwise be silently ignored,
 * so it fails the start, naming the closest valid key. Preset overrides ({@code
 * presets.<name>.<key>}) are held to the same keys.
 */
final class KnownKeys {
  private static final String PRESETS = "presets";
  private static final String DISPATCHER = "dispatcher.";

  private final Config reference;
  private final Set<String> keys = new TreeSet<>();

  private KnownKeys(Config reference) {
    this.reference = reference;
    for (Map.Entry<String, ?> e : reference.entrySet()) {
      if (!ConfigUtil.splitPath(e.getKey()).get(0).equals(PRESETS)) {
        keys.add(e.getKey());
      }
    }
  }

  /** The keys of the {@code gossip} section of the reference.conf files this class sees. */
  static KnownKeys fromReference() {
    return new KnownKeys(
        ConfigFactory.defaultReference(KnownKeys.class.getClassLoader()).getConfig("gossip"));
  }

  /**
   * Checks every key set in {@code gossip} (the application's section, reference values included).
   *
   * @throws InvalidSettingException naming the first unknown key and the closest known one
   */
  void check(Config gossip) {
    for (String path : new TreeSet<>(gossip.entrySet().stream().map(Map.Entry::getKey).toList())) {
      List<String> parts = ConfigUtil.splitPath(path);
      boolean preset = parts.get(0).equals(PRESETS) && parts.size() > 2;
      String key = preset ? ConfigUtil.joinPath(parts.subList(2, parts.size())) : path;
      if (!known(key)) {
        String prefix =
            preset ? "gossip." + ConfigUtil.joinPath(parts.subList(0, 2)) + "." : "gossip.";
        throw new InvalidSettingException(
            "gossip." + path, "no such key; did you mean " + prefix + closest(key) + "?");
      }
    }
  }

  /**
   * A key of reference.conf, an element of one of its lists ({@code contacts.0=...}), or a key of
   * the dispatcher's section, which is Pekko's dispatcher configuration (any executor it knows).
   */
  private boolean known(String key) {
    if (keys.contains(key) || key.startsWith(DISPATCHER)) {
      return true;
    }
    int dot = key.lastIndexOf('.');
    return dot > 0
        && key.substring(dot + 1).chars().allMatch(Character::isDigit)
        && keys.contains(key.substring(0, dot))
        && reference.getValue(key.substring(0, dot)).valueType() == ConfigValueType.LIST;
  }

  private String closest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : keys) {
      int d = KeySpelling.distance(key, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }
}
