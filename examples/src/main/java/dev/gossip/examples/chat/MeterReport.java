package dev.gossip.examples.chat;

import dev.gossip.micrometer.GossipMetrics;
import dev.gossip.pekko.MetricsSnapshot;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The node's metrics as Micrometer meters, for {@code /stats}: gossip-micrometer's binder bound
 * once to a {@link SimpleMeterRegistry}, as an application binds it to its Prometheus, JMX or
 * OpenTelemetry registry. What {@code /stats} prints is what such a registry exports.
 */
final class MeterReport {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  MeterReport(Supplier<MetricsSnapshot> metrics) {
    new GossipMetrics(metrics).bindTo(registry);
  }

  /**
   * Every meter as {@code name{tag=value} value}, by name, packed into lines of at most {@code
   * width} characters; the meters per reason (frames dropped, TLS refused) only when not 0.
   */
  List<String> lines(int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (Meter meter : sorted()) {
      double value = meter.measure().iterator().next().getValue();
      List<Tag> tags = meter.getId().getTags();
      if (!tags.isEmpty() && value == 0) {
        continue;
      }
      String entry = meter.getId().getName() + braces(tags) + " " + format(value);
      if (line.length() > 0 && line.length() + 2 + entry.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() == 0 ? "" : "  ").append(entry);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  private List<Meter> sorted() {
    return registry.getMeters().stream()
        .sorted(
            Comparator.comparing((Meter m) -> m.getId().getName())
                .thenComparing(m -> braces(m.getId().getTags())))
        .toList();
  }

  private static String braces(List<Tag> tags) {
    return tags.isEmpty()
        ? ""
        : tags.stream()
            .map(t -> t.getKey() + "=" + t.getValue())
            .collect(Collectors.joining(",", "{", "}"));
  }

  /** Counts and sizes as integers; ratios (RMR) with three decimals; NaN before any receipt. */
  private static String format(double value) {
    if (value == Math.rint(value) && !Double.isInfinite(value)) {
      return Long.toString((long) value);
    }
    return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%.3f", value);
  }
}
