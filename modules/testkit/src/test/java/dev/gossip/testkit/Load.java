package dev.gossip.testkit;

import dev.gossip.core.MessageId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Periodic work in the background of a test for a fixed time (broadcasts, churn), on a scheduler;
 * {@link #awaitEnd} waits, bounded, until the time is up and the last run has finished, and
 * rethrows the first failure of any task.
 */
final class Load {

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Duration duration;
  private final List<MessageId> broadcasts = new CopyOnWriteArrayList<>();

  private Load(Duration duration) {
    this.duration = duration;
  }

  /** Load that stops after {@code duration}; add tasks, they start at once. */
  static Load lasting(Duration duration) {
    Load load = new Load(duration);
    load.scheduler.schedule(load.scheduler::shutdown, duration.toMillis(), TimeUnit.MILLISECONDS);
    return load;
  }

  /** Runs {@code task} now and then {@code period} after each run ends. */
  Load every(Duration period, Runnable task) {
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
            throw e;
          }
        },
        0,
        period.toMillis(),
        TimeUnit.MILLISECONDS);
    return this;
  }

  /** Broadcasts from the node {@code from} picks, every {@code period}, recording the ids. */
  Load broadcasting(Duration period, Supplier<TestNode> from) {
    return every(
        period,
        () -> {
          TestNode node = from.get();
          broadcasts.add(node.broadcast("from " + node.name() + " #" + broadcasts.size()));
        });
  }

  /** The ids broadcast by {@link #broadcasting}, in order. */
  List<MessageId> broadcasts() {
    return List.copyOf(broadcasts);
  }

  void awaitEnd() {
    try {
      Duration limit = duration.plus(Duration.ofMinutes(2));
      if (!scheduler.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        scheduler.shutdownNow();
        throw new AssertionError("the load did not end within " + limit);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    Throwable f = failure.get();
    if (f != null) {
      throw new AssertionError("a load task failed", f);
    }
  }
}
