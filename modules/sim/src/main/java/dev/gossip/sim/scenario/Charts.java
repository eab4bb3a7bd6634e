package dev.gossip.sim.scenario;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts of a suite's results, drawn with JFreeChart. */
public final class Charts {
  private Charts() {}

  /** Writes every chart whose data the results hold; returns the files written. */
  public static List<Path> write(Results results, List<Trace> traces, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<Path> written = new java.util.ArrayList<>();
    figure(
        results,
        "hyparview-fig2",
        "Reliability after a massive failure (HyParView Fig. 2)",
        "% of nodes failed",
        "reliability (%)",
        dir.resolve("reliability-vs-failed.png"),
        written);
    figure(
        results,
        "plumtree-first-broadcast",
        "First broadcast after a massive failure (Plumtree)",
        "% of nodes failed",
        "reliability (%)",
        dir.resolve("first-broadcast-vs-failed.png"),
        written);
    figure(
        results,
        "hyparview-fig4",
        "Healing after a massive failure (HyParView Fig. 4)",
        "% of nodes failed",
        "membership cycles to full reliability",
        dir.resolve("healing-cycles.png"),
        written);
    trace(
        traces,
        "rmr",
        "RMR per broadcast, one sender (Plumtree)",
        "RMR",
        dir.resolve("rmr-over-time.png"),
        written);
    trace(
        traces,
        "ldh",
        "Last delivery hop per broadcast, one sender (Plumtree)",
        "LDH",
        dir.resolve("ldh-over-time.png"),
        written);
    trace(
        traces,
        "in-degree",
        "In-degree distribution of the active views (HyParView Table 1)",
        "nodes",
        dir.resolve("in-degree.png"),
        written);
    return written;
  }

  private static void figure(
      Results results,
      String figure,
      String title,
      String xLabel,
      String yLabel,
      Path file,
      List<Path> written)
      throws IOException {
    Map<String, XYSeries> series = new LinkedHashMap<>();
    XYSeries paper = new XYSeries("paper's value");
    for (Results.Line l : results.lines()) {
      if (!l.figure().equals(figure)) {
        continue;
      }
      double x = Double.parseDouble(l.x());
      series.computeIfAbsent(l.series(), k -> new XYSeries("measured: " + k)).add(x, l.measured());
      if (!Double.isNaN(l.paper()) && paper.indexOf(x) < 0) {
        paper.add(x, l.paper());
      }
    }
    if (series.isEmpty()) {
      return;
    }
    XYSeriesCollection data = new XYSeriesCollection();
    if (!paper.isEmpty()) {
      data.addSeries(paper);
    }
    series.values().forEach(data::addSeries);
    save(title, xLabel, yLabel, data, file, written);
  }

  private static void trace(
      List<Trace> traces, String chart, String title, String yLabel, Path file, List<Path> written)
      throws IOException {
    String xLabel = chart.equals("in-degree") ? "in-degree" : "broadcast number";
    // The first seed's curve per series: a seed's own dynamics, not an average that hides them.
    Map<String, XYSeries> series = new LinkedHashMap<>();
    for (Trace t : traces) {
      if (!t.chart().equals(chart) || series.containsKey(t.series())) {
        continue;
      }
      XYSeries s = new XYSeries(t.series());
      for (int i = 0; i < t.x().length; i++) {
        s.add(t.x()[i], t.y()[i]);
      }
      series.put(t.series(), s);
    }
    if (series.isEmpty()) {
      return;
    }
    XYSeriesCollection data = new XYSeriesCollection();
    series.values().forEach(data::addSeries);
    save(title, xLabel, yLabel, data, file, written);
  }

  private static void save(
      String title,
      String xLabel,
      String yLabel,
      XYSeriesCollection data,
      Path file,
      List<Path> written)
      throws IOException {
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
    NumberAxis range = (NumberAxis) chart.getXYPlot().getRangeAxis();
    range.setAutoRangeIncludesZero(false);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 560);
    written.add(file);
  }
}
