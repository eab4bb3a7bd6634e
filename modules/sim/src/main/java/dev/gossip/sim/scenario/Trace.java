package dev.gossip.sim.scenario;

/** A measured curve for a chart: y against x for one series of one seed. */
public record Trace(String chart, String series, double[] x, double[] y) {}
