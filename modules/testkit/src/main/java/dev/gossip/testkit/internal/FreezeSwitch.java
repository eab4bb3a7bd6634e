package dev.gossip.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Freezes every dispatcher of one ActorSystem: while frozen, tasks handed to its executors are held
 * (actors, stream stages, timers and the TCP connection actors all stop), the way a hung process
 * stops; on thaw they run in the order they were held. Sockets stay open: the kernel keeps
 * accepting and buffering, so peers notice only by silence.
 *
 * <p>One switch per name; {@link FreezableExecutorConfigurator} finds it by the dispatcher's {@code
 * freeze-group} setting. Thread-safe.
 */
public final class FreezeSwitch {

  private static final Map<String, FreezeSwitch> SWITCHES = new ConcurrentHashMap<>();

  private record Held(Executor executor, Runnable task) {}

  private final List<Held> held = new ArrayList<>();
  private volatile boolean frozen;

  private FreezeSwitch() {}

  /** The switch of this name, created on first use. */
  public static FreezeSwitch named(String name) {
    return SWITCHES.computeIfAbsent(name, n -> new FreezeSwitch());
  }

  /** Forgets the switch of a node that has stopped. */
  public static void remove(String name) {
    SWITCHES.remove(name);
  }

  public boolean isFrozen() {
    return frozen;
  }

  public synchronized void freeze() {
    frozen = true;
  }

  /** Releases the held tasks, in order, and lets new ones through. */
  public void thaw() {
    List<Held> release;
    synchronized (this) {
      frozen = false;
      release = new ArrayList<>(held);
      held.clear();
    }
    for (Held h : release) {
      h.executor().execute(h.task());
    }
  }

  /** Runs the task on {@code executor} now, or holds it while frozen. */
  void execute(Executor executor, Runnable task) {
    if (frozen) {
      synchronized (this) {
        if (frozen) {
          held.add(new Held(executor, task));
          return;
        }
      }
    }
    executor.execute(task);
  }
}
