package dev.gossip.sim.scenario;

import dev.gossip.core.InvalidSettingException;
import dev.gossip.core.recovery.RecoverySettings;
import dev.gossip.sim.engine.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A scenario file: Java properties naming the kind of experiment, the network and its parameters.
 * Every key has a default where it is read, so a file states only what differs; command-line
 * options override {@code nodes} and {@code seeds}. Keys and values are checked on creation (see
 * {@link ScenarioKey}); a file must also name its {@code kind}. See {@code modules/sim/README.md}
 * for the keys.
 */
public final class Scenario {

  /** The series each kind may run; a formation run has none. */
  private static final Map<String, List<String>> SERIES =
      Map.of(
          "failure", List.of("paper", "extensions"),
          "partition", List.of("paper", "extensions"),
          "stable", List.of("plain", "optimised"),
          "churn", List.of("plain", "optimised"),
          "formation", List.of(),
          "multi-sender", List.of("synchronous", "mailboxes"));

  private final String source;
  private final String name;
  private final Properties properties;

  /**
   * A scenario read from {@code source} (a file, for messages).
   *
   * @throws ScenarioException for an unknown key or a value its key does not accept
   */
  public Scenario(String source, String name, Properties properties) {
    this.source = source;
    this.name = name;
    this.properties = properties;
    validate();
  }

  /** A scenario built in code: its name stands for the file in messages. */
  public Scenario(String name, Properties properties) {
    this(name, name, properties);
  }

  public static Scenario load(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return fromFile(file.toString(), baseName(file.getFileName().toString()), reader);
    }
  }

  public static Scenario load(String name, InputStream in) throws IOException {
    return fromFile(name, baseName(name), new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  private static Scenario fromFile(String source, String name, Reader reader) throws IOException {
    Properties p = new Properties();
    p.load(reader);
    if (!p.containsKey(ScenarioKey.KIND.key())) {
      throw new ScenarioException(
          source, ScenarioKey.KIND.key(), "kind: missing, one of " + String.join(", ", kinds()));
    }
    return new Scenario(source, name, p);
  }

  private static String baseName(String file) {
    int dot = file.lastIndexOf('.');
    return dot > 0 ? file.substring(0, dot) : file;
  }

  /**
   * Every key known and its value accepted, the series one that the kind runs, and a multi-sender
   * file's graft timers ones the core accepts.
   */
  private void validate() {
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      String value = properties.getProperty(key).trim();
      ScenarioKey known =
          ScenarioKey.named(key)
              .orElseThrow(
                  () ->
                      new ScenarioException(
                          source,
                          key,
                          value,
                          "unknown key"
                              + ScenarioKey.nearest(key)
                                  .map(k -> "; did you mean " + k.key() + "?")
                                  .orElse("")));
      try {
        known.check(value);
      } catch (IllegalArgumentException e) {
        throw new ScenarioException(source, key, value, e.getMessage());
      }
    }
    if (kind().equals("multi-sender") && properties.containsKey(ScenarioKey.COMPOSITION.key())) {
      throw new ScenarioException(
          source,
          ScenarioKey.COMPOSITION.key(),
          text(ScenarioKey.COMPOSITION, ""),
          "kind multi-sender runs the compositions its series names, not composition or --mailboxes");
    }
    if (kind().equals("multi-sender")) {
      checkGraftTimers();
    }
    List<String> runs = SERIES.get(kind());
    if (runs != null && properties.containsKey(ScenarioKey.SERIES.key())) {
      for (String series : list(ScenarioKey.SERIES, "")) {
        if (!runs.contains(series)) {
          throw new ScenarioException(
              source,
              ScenarioKey.SERIES.key(),
              text(ScenarioKey.SERIES, ""),
              runs.isEmpty()
                  ? "kind " + kind() + " runs no series"
                  : "kind " + kind() + " runs " + String.join(", ", runs));
        }
      }
    }
  }

  /**
   * The multi-sender graft timers together: an adaptive bound below either least wait is named with
   * the file's values; anything else the core refuses, with the core's words.
   */
  private void checkGraftTimers() {
    RecoverySettings core = RecoverySettings.defaults();
    ScenarioKey first = ScenarioKey.MULTI_GRAFT_TIMEOUT;
    ScenarioKey second = ScenarioKey.MULTI_SECOND_GRAFT_TIMEOUT;
    ScenarioKey max = ScenarioKey.MULTI_MAX_GRAFT_TIMEOUT;
    String firstValue = text(first, core.graftTimeout().toMillis() + "ms");
    String secondValue = text(second, core.secondGraftTimeout().toMillis() + "ms");
    String maxValue = text(max, core.maxGraftTimeout().toMillis() + "ms");
    if (!maxValue.equals("off")) {
      Duration bound = Durations.parse(maxValue);
      boolean firstAbove = bound.compareTo(Durations.parse(firstValue)) < 0;
      boolean secondAbove = bound.compareTo(Durations.parse(secondValue)) < 0;
      if (firstAbove || secondAbove) {
        ScenarioKey blamed = properties.containsKey(max.key()) ? max : firstAbove ? first : second;
        throw new ScenarioException(
            source,
            blamed.key(),
            text(blamed, ""),
            String.format(
                "%s (%s) must be at least %s (%s) and %s (%s), or off",
                max.key(), maxValue, first.key(), firstValue, second.key(), secondValue));
      }
    }
    try {
      MultiSenderScenario.graftTimers(this, core);
    } catch (InvalidSettingException e) {
      ScenarioKey blamed =
          Stream.of(first, second, max)
              .filter(k -> properties.containsKey(k.key()))
              .findFirst()
              .orElse(max);
      throw new ScenarioException(source, blamed.key(), text(blamed, maxValue), e.getMessage());
    }
  }

  static List<String> kinds() {
    return new TreeSet<>(SERIES.keySet()).stream().toList();
  }

  /** Every series some kind runs. */
  static List<String> allSeries() {
    return SERIES.values().stream().flatMap(List::stream).distinct().sorted().toList();
  }

  /** A copy with one key set, as a command-line override does; checked as a file's would be. */
  public Scenario with(String key, String value) {
    Properties p = new Properties();
    p.putAll(properties);
    p.setProperty(key, value);
    return new Scenario(source, name, p);
  }

  public String name() {
    return name;
  }

  public String kind() {
    return text(ScenarioKey.KIND, "");
  }

  public String text(ScenarioKey key, String fallback) {
    return properties.getProperty(key.key(), fallback).trim();
  }

  /**
   * {@code composition}: {@code synchronous} (the default: a node's roles composed in emission
   * order) or {@code mailboxes} (per-role mailboxes interleaved at random, as the runtime's actors
   * may take them).
   */
  public boolean mailboxes() {
    return text(ScenarioKey.COMPOSITION, "synchronous").equals("mailboxes");
  }

  public int integer(ScenarioKey key, int fallback) {
    return Integer.parseInt(text(key, Integer.toString(fallback)));
  }

  public double decimal(ScenarioKey key, double fallback) {
    return Double.parseDouble(text(key, Double.toString(fallback)));
  }

  public Duration duration(ScenarioKey key, String fallback) {
    return Durations.parse(text(key, fallback));
  }

  public List<String> list(ScenarioKey key, String fallback) {
    return split(text(key, fallback));
  }

  /** The values of a list with a comma between them, trimmed, blanks left out. */
  static List<String> split(String text) {
    List<String> values = new ArrayList<>();
    for (String v : text.split(",")) {
      if (!v.isBlank()) {
        values.add(v.trim());
      }
    }
    return values;
  }

  public int nodes() {
    return integer(ScenarioKey.NODES, 1_000);
  }

  /**
   * Seeds 1..n for {@code seeds = n}; the listed seeds as soon as there is a comma: {@code seeds =
   * 7, 9}, or {@code seeds = 7,} for seed 7 alone.
   */
  public List<Long> seeds() {
    return parseSeeds(text(ScenarioKey.SEEDS, "1"));
  }

  static List<Long> parseSeeds(String text) {
    List<Long> seeds = new ArrayList<>();
    try {
      if (text.contains(",")) {
        split(text).forEach(v -> seeds.add(Long.parseLong(v)));
      } else {
        for (long s = 1; s <= Long.parseLong(text.trim()); s++) {
          seeds.add(s);
        }
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a count n for seeds 1..n or a list: 3,7 or 7,");
    }
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("no seed");
    }
    return seeds;
  }
}
