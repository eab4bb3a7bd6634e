package dev.gossip.sim.scenario;

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
import java.util.Properties;

/**
 * A scenario file: Java properties naming the kind of experiment, the network and its parameters.
 * Every key has a default here, so a file states only what differs; command-line options override
 * {@code nodes} and {@code seeds}. See {@code modules/sim/README.md} for the keys.
 */
public final class Scenario {

  private final String name;
  private final Properties properties;

  public Scenario(String name, Properties properties) {
    this.name = name;
    this.properties = properties;
  }

  public static Scenario load(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Properties p = new Properties();
      p.load(reader);
      return new Scenario(baseName(file.getFileName().toString()), p);
    }
  }

  public static Scenario load(String name, InputStream in) throws IOException {
    Properties p = new Properties();
    p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    return new Scenario(baseName(name), p);
  }

  private static String baseName(String file) {
    int dot = file.lastIndexOf('.');
    return dot > 0 ? file.substring(0, dot) : file;
  }

  /** A copy with one key set, as a command-line override does. */
  public Scenario with(String key, String value) {
    Properties p = new Properties();
    p.putAll(properties);
    p.setProperty(key, value);
    return new Scenario(name, p);
  }

  public String name() {
    return name;
  }

  public String kind() {
    return text("kind", "");
  }

  public String text(String key, String fallback) {
    return properties.getProperty(key, fallback).trim();
  }

  /**
   * {@code composition}: {@code synchronous} (the default: a node's roles composed in emission
   * order) or {@code mailboxes} (per-role mailboxes interleaved at random, as the runtime's actors
   * may take them).
   */
  public boolean mailboxes() {
    String composition = text("composition", "synchronous");
    if (!composition.equals("synchronous") && !composition.equals("mailboxes")) {
      throw new IllegalArgumentException(
          "composition: synchronous or mailboxes, not '" + composition + "'");
    }
    return composition.equals("mailboxes");
  }

  public int integer(String key, int fallback) {
    return Integer.parseInt(text(key, Integer.toString(fallback)));
  }

  public double decimal(String key, double fallback) {
    return Double.parseDouble(text(key, Double.toString(fallback)));
  }

  public boolean flag(String key, boolean fallback) {
    return Boolean.parseBoolean(text(key, Boolean.toString(fallback)));
  }

  public Duration duration(String key, String fallback) {
    return Durations.parse(text(key, fallback));
  }

  public List<String> list(String key, String fallback) {
    List<String> values = new ArrayList<>();
    for (String v : text(key, fallback).split(",")) {
      if (!v.isBlank()) {
        values.add(v.trim());
      }
    }
    return values;
  }

  public int nodes() {
    return integer("nodes", 1_000);
  }

  /**
   * Seeds 1..n for {@code seeds = n}; the listed seeds as soon as there is a comma: {@code seeds =
   * 7, 9}, or {@code seeds = 7,} for seed 7 alone.
   */
  public List<Long> seeds() {
    String text = text("seeds", "1");
    List<Long> seeds = new ArrayList<>();
    if (text.contains(",")) {
      list("seeds", "1").forEach(v -> seeds.add(Long.parseLong(v)));
    } else {
      for (long s = 1; s <= Long.parseLong(text); s++) {
        seeds.add(s);
      }
    }
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("seeds: no seed in '" + text + "'");
    }
    return seeds;
  }
}
