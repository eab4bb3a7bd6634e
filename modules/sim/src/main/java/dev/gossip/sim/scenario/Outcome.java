package dev.gossip.sim.scenario;

import java.util.ArrayList;
import java.util.List;

/** What one scenario run with one seed produced, and what it cost. */
public final class Outcome {
  private final List<Row> rows = new ArrayList<>();
  private final List<Trace> traces = new ArrayList<>();
  private long events;

  public void add(Row row) {
    rows.add(row);
  }

  public void add(Trace trace) {
    traces.add(trace);
  }

  public void countEvents(long n) {
    events += n;
  }

  public List<Row> rows() {
    return rows;
  }

  public List<Trace> traces() {
    return traces;
  }

  public long events() {
    return events;
  }
}
