package dev.gossip.sim.scenario;

import dev.gossip.sim.engine.Simulation;
import dev.gossip.sim.metrics.BroadcastLog;
import dev.gossip.sim.metrics.OverlayGraph;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A stable network (HyParView paper, Table 1; Plumtree paper, section 4.3): the overlay's graph
 * properties after the warm-up cycles, then one sender's broadcasts. The first broadcast floods
 * (every link is still eager); later ones follow the pruned tree.
 */
final class StableScenario {
  private StableScenario() {}

  static void run(Scenario s, long seed, boolean optimised, Outcome outcome) {
    int threshold =
        optimised ? s.integer(ScenarioKey.OPTIMISED_THRESHOLD, 3) : Protocol.NO_OPTIMIZATION;
    String series = optimised ? "optimised" : "plain";
    Protocol protocol = Protocol.of(s, false, threshold, seed);
    Simulation sim = Overlays.build(s, protocol, seed);
    if (!optimised) {
      graph(sim, seed, outcome);
    }
    BroadcastLog log = new BroadcastLog();
    sim.observe(log);
    int sender = Overlays.randomLive(sim, new SplittableRandom(seed));
    int count = s.integer(ScenarioKey.STABLE_BROADCASTS, 50);
    long interval = s.duration(ScenarioKey.STABLE_BROADCAST_INTERVAL, "1s").toNanos();
    for (int i = 0; i < count; i++) {
      sim.broadcast(sender, Overlays.payload(i));
      sim.runFor(interval);
    }
    List<BroadcastLog.Broadcast> all = log.broadcasts();
    BroadcastLog.Broadcast flood = all.get(0);
    if (!optimised) {
      outcome.add(
          new Row(
              "hyparview-table1",
              "hyparview",
              "max-hops",
              PaperValues.MAX_HOPS,
              flood.lastDeliveryHop()));
      outcome.add(
          new Row(
              "plumtree-stable",
              "flooding",
              "rmr",
              PaperValues.FLOODING_RMR,
              flood.relativeMessageRedundancy()));
      outcome.add(
          new Row(
              "plumtree-stable",
              "flooding",
              "ldh",
              PaperValues.FLOODING_LDH,
              flood.lastDeliveryHop()));
    }
    // From the 6th broadcast on, as the paper reports.
    int from = Math.min(5, count - 1);
    double rmr = 0;
    double ldh = 0;
    double reliability = 0;
    double lastDelivery = 0;
    double[] index = new double[count];
    double[] rmrs = new double[count];
    double[] ldhs = new double[count];
    for (int i = 0; i < count; i++) {
      BroadcastLog.Broadcast b = all.get(i);
      index[i] = i + 1;
      rmrs[i] = b.relativeMessageRedundancy();
      ldhs[i] = b.lastDeliveryHop();
      if (i >= from) {
        rmr += rmrs[i];
        ldh += ldhs[i];
        reliability += BroadcastLog.reliability(b, sim);
        lastDelivery += b.timeToLastDelivery();
      }
    }
    int n = count - from;
    outcome.add(new Row("plumtree-stable", series, "rmr", PaperValues.STABLE_RMR, rmr / n));
    outcome.add(
        new Row(
            "plumtree-stable",
            series,
            "ldh",
            optimised ? PaperValues.STABLE_LDH_OPTIMIZED : PaperValues.STABLE_LDH,
            ldh / n));
    outcome.add(new Row("plumtree-stable", series, "reliability", 100, 100 * reliability / n));
    outcome.add(
        new Row("plumtree-stable", series, "last-delivery-ms", Double.NaN, lastDelivery / n / 1e6));
    outcome.add(new Trace("rmr", series, index, rmrs));
    outcome.add(new Trace("ldh", series, index, ldhs));
    outcome.countEvents(sim.handledEvents());
  }

  private static void graph(Simulation sim, long seed, Outcome outcome) {
    OverlayGraph g = OverlayGraph.of(sim);
    int[] inDegree = g.inDegreeHistogram();
    int[] components = g.componentSizes();
    outcome.add(
        new Row(
            "hyparview-table1",
            "hyparview",
            "clustering",
            PaperValues.CLUSTERING,
            g.clusteringCoefficient()));
    outcome.add(
        new Row(
            "hyparview-table1",
            "hyparview",
            "average-shortest-path",
            PaperValues.AVERAGE_SHORTEST_PATH,
            g.averageShortestPath(1_000, seed)));
    outcome.add(
        new Row(
            "hyparview-table1",
            "hyparview",
            "in-degree-5-nodes",
            PaperValues.IN_DEGREE_5 * g.size() / 10_000.0,
            inDegree.length > 5 ? inDegree[5] : 0));
    double[] degrees = new double[inDegree.length];
    double[] counts = new double[inDegree.length];
    for (int d = 0; d < inDegree.length; d++) {
      degrees[d] = d;
      counts[d] = inDegree[d];
    }
    outcome.add(new Trace("in-degree", "hyparview", degrees, counts));
    // What the clustering coefficient rests on, and its value for random links (no paper value).
    outcome.add(new Row("hyparview-graph", "hyparview", "triangles", Double.NaN, g.triangles()));
    outcome.add(
        new Row(
            "hyparview-graph",
            "hyparview",
            "clustering-random-graph",
            Double.NaN,
            g.randomGraphClustering()));
    outcome.add(new Row("hyparview-graph", "hyparview", "symmetry", 1, g.symmetry()));
    outcome.add(new Row("hyparview-graph", "hyparview", "components", 1, components.length));
    outcome.add(new Row("hyparview-graph", "hyparview", "isolated", 0, g.isolatedNodes()));
  }
}
