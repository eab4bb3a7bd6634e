package dev.gossip.sim.scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rows of several seeds folded into one line per (figure, series, x): the mean and the spread
 * (sample standard deviation, 0 for one seed), printed as a table and written as CSV.
 */
public final class Results {

  /** One line of the table. */
  public record Line(
      String figure, String series, String x, double paper, double measured, double spread) {}

  private final Map<String, List<Row>> byKey = new LinkedHashMap<>();

  public void add(Row row) {
    byKey
        .computeIfAbsent(row.figure() + "|" + row.series() + "|" + row.x(), k -> new ArrayList<>())
        .add(row);
  }

  public List<Line> lines() {
    List<Line> lines = new ArrayList<>();
    for (List<Row> rows : byKey.values()) {
      double mean = 0;
      for (Row r : rows) {
        mean += r.measured();
      }
      mean /= rows.size();
      double squares = 0;
      for (Row r : rows) {
        squares += (r.measured() - mean) * (r.measured() - mean);
      }
      double spread = rows.size() < 2 ? 0 : Math.sqrt(squares / (rows.size() - 1));
      Row r = rows.get(0);
      lines.add(new Line(r.figure(), r.series(), r.x(), r.paper(), mean, spread));
    }
    return lines;
  }

  public void print(PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%-26s %-11s %-22s %10s %12s %10s%n",
        "figure",
        "series",
        "x",
        "paper",
        "measured",
        "spread");
    for (Line l : lines()) {
      out.printf(
          Locale.ROOT,
          "%-26s %-11s %-22s %10s %12s %10s%n",
          l.figure(),
          l.series(),
          l.x(),
          number(l.paper()),
          number(l.measured()),
          number(l.spread()));
    }
  }

  public void writeCsv(Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("figure,series,x,paper,measured,spread\n");
      for (Line l : lines()) {
        w.write(
            String.join(
                    ",",
                    l.figure(),
                    l.series(),
                    l.x(),
                    number(l.paper()),
                    number(l.measured()),
                    number(l.spread()))
                + "\n");
      }
    }
  }

  static String number(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, Math.abs(v) < 0.01 ? "%.5f" : "%.3f", v);
  }
}
