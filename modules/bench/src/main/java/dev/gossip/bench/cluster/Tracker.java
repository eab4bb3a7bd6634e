package dev.gossip.bench.cluster;

import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deliveries of one scenario's messages at every node. A payload starts with the scenario number
 * and the message index, so each side is measured the same way from the bytes it delivers. A
 * message is complete when every node counted as alive has delivered it; a second delivery of a
 * message at one node is a duplicate.
 */
public final class Tracker {

  private final int scenario;
  private final int messages;
  private final boolean[] alive;
  private final int expected;
  private final AtomicIntegerArray perNode;
  private final AtomicIntegerArray reached;
  private final long[] sentNanos;
  private final long[] completedNanos;
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final Semaphore completions = new Semaphore(0);
  private final Semaphore window;

  public Tracker(int scenario, int messages, boolean[] alive, int window) {
    this.scenario = scenario;
    this.messages = messages;
    this.alive = alive.clone();
    int n = 0;
    for (boolean a : alive) {
      n += a ? 1 : 0;
    }
    this.expected = n;
    this.perNode = new AtomicIntegerArray(alive.length * messages);
    this.reached = new AtomicIntegerArray(messages);
    this.sentNanos = new long[messages];
    this.completedNanos = new long[messages];
    this.window = new Semaphore(window);
  }

  /** A payload of {@code size} bytes for message {@code index} of this scenario. */
  public byte[] payload(int index, int size) {
    byte[] p = new byte[size];
    ByteBuffer.wrap(p).putInt(scenario).putInt(index);
    return p;
  }

  /** Waits for a free slot in the in-flight window; false after the timeout. */
  public boolean acquireSlot(long timeoutMillis) throws InterruptedException {
    return window.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  public void sent(int index) {
    sentNanos[index] = System.nanoTime();
  }

  /** Called by a node's delivery callback, from any thread. */
  public void delivered(int node, byte[] payload) {
    if (payload.length < 8) {
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(payload);
    if (b.getInt() != scenario) {
      return;
    }
    int index = b.getInt();
    if (index < 0 || index >= messages || !alive[node]) {
      return;
    }
    if (perNode.getAndIncrement(node * messages + index) > 0) {
      duplicates.incrementAndGet();
      return;
    }
    if (reached.incrementAndGet(index) == expected) {
      completedNanos[index] = System.nanoTime();
      completed.incrementAndGet();
      completions.release();
      window.release();
    }
  }

  /** Waits for the next message to complete at every node; false after the timeout. */
  public boolean awaitCompletion(long timeoutMillis) throws InterruptedException {
    return completions.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Waits until {@code count} messages are complete, or no message completes for {@code idle}. */
  public void awaitAll(long count, long idleMillis) throws InterruptedException {
    while (completed.get() < count) {
      if (!completions.tryAcquire(idleMillis, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
  }

  public long completed() {
    return completed.get();
  }

  public long duplicates() {
    return duplicates.get();
  }

  /** Deliveries at alive nodes, duplicates excluded. */
  public long deliveries() {
    long total = 0;
    for (int i = 0; i < messages; i++) {
      total += reached.get(i);
    }
    return total;
  }

  public long sentNanos(int index) {
    return sentNanos[index];
  }

  /** When message {@code index} completed, or 0 if it has not. */
  public long completedNanos(int index) {
    return reached.get(index) == expected ? completedNanos[index] : 0;
  }
}
