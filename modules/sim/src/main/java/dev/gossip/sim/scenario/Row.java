package dev.gossip.sim.scenario;

/**
 * One measured value of one seed: a figure's series at x, beside the paper's value (NaN where the
 * paper has none).
 */
public record Row(String figure, String series, String x, double paper, double measured) {}
