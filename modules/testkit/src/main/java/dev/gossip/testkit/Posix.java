package dev.gossip.testkit;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Signals to a process by id through kill(1): Java has SIGKILL only ({@code destroyForcibly}). */
final class Posix {

  private static final long TIMEOUT_SECONDS = 10;

  private Posix() {}

  /** Sends {@code signal} (STOP, CONT) to the process {@code pid}; fails if kill(1) does. */
  static void signal(long pid, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
      if (!kill.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UnsupportedOperationException("freeze and thaw need kill(1) (POSIX)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted signalling " + pid, e);
    }
  }
}
