package dev.gossip.sim.scenario;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the tasks of several scenarios on a few threads, the costliest first so that no long task is
 * left to run alone at the end, and folds their rows in task order, so the results do not depend on
 * the thread count.
 */
public final class Suite {

  /** What a suite produced and what it cost. */
  public record Summary(Results results, List<Trace> traces, long events, double wallSeconds) {
    public double eventsPerSecond() {
      return events / wallSeconds;
    }
  }

  private Suite() {}

  public static Summary run(List<Scenario> scenarios, int threads, PrintStream progress)
      throws InterruptedException {
    List<Task> tasks = new ArrayList<>();
    scenarios.forEach(s -> tasks.addAll(Task.of(s)));
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Task> longestFirst = new ArrayList<>(tasks);
      longestFirst.sort(Comparator.comparingDouble(Task::cost).reversed());
      Map<Task, Future<Outcome>> futures = new IdentityHashMap<>();
      for (Task task : longestFirst) {
        futures.put(
            task,
            pool.submit(
                () -> {
                  long t0 = System.nanoTime();
                  Outcome o = task.run();
                  double s = (System.nanoTime() - t0) / 1e9;
                  progress.printf(
                      Locale.ROOT,
                      "  %-45s %7.1f s %12d events %10.0f events/s%n",
                      task.label(),
                      s,
                      o.events(),
                      o.events() / s);
                  return o;
                }));
      }
      Results results = new Results();
      List<Trace> traces = new ArrayList<>();
      long events = 0;
      for (Task task : tasks) {
        Outcome o = futures.get(task).get();
        o.rows().forEach(results::add);
        traces.addAll(o.traces());
        events += o.events();
      }
      return new Summary(results, traces, events, (System.nanoTime() - start) / 1e9);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a simulation failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
