package dev.gossip.sim.scenario;

import java.awt.Color;
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
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** PNG charts of a suite's results, drawn with JFreeChart. */
public final class Charts {
  private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);

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

  /**
   * One failure-level figure: each series' mean over seeds with points, a line, and the spread (one
   * sample standard deviation) as error bars; the papers' values as black diamonds.
   */
  private static void figure(
      Results results,
      String figure,
      String title,
      String xLabel,
      String yLabel,
      Path file,
      List<Path> written)
      throws IOException {
    Map<String, YIntervalSeries> series = new LinkedHashMap<>();
    XYSeries paper = new XYSeries("paper's value");
    for (Results.Line l : results.lines()) {
      if (!l.figure().equals(figure)) {
        continue;
      }
      double x = Double.parseDouble(l.x());
      series
          .computeIfAbsent(l.series(), k -> new YIntervalSeries("measured: " + k))
          .add(x, l.measured(), l.measured() - l.spread(), l.measured() + l.spread());
      if (!Double.isNaN(l.paper()) && paper.indexOf(x) < 0) {
        paper.add(x, l.paper());
      }
    }
    if (series.isEmpty()) {
      return;
    }
    YIntervalSeriesCollection measured = new YIntervalSeriesCollection();
    series.values().forEach(measured::addSeries);
    XYErrorRenderer errorBars = new XYErrorRenderer();
    errorBars.setDefaultLinesVisible(true);
    errorBars.setDrawXError(false);
    errorBars.setCapLength(8);
    NumberAxis failed = new NumberAxis(xLabel);
    failed.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(measured, failed, new NumberAxis(yLabel), errorBars);
    if (!paper.isEmpty()) {
      XYLineAndShapeRenderer marks = new XYLineAndShapeRenderer(false, true);
      marks.setSeriesShape(0, ShapeUtils.createDiamond(6));
      marks.setSeriesPaint(0, Color.BLACK);
      plot.setDataset(1, new XYSeriesCollection(paper));
      plot.setRenderer(1, marks);
    }
    save(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), file, written);
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
    ((XYLineAndShapeRenderer) chart.getXYPlot().getRenderer()).setDefaultShapesVisible(true);
    save(chart, file, written);
  }

  /** White background, light grid, a y axis fitted to the data: readable at a glance. */
  private static void save(JFreeChart chart, Path file, List<Path> written) throws IOException {
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setOutlinePaint(Color.GRAY);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 560);
    written.add(file);
  }
}
