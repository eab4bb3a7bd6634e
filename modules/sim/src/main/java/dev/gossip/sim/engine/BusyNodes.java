package dev.gossip.sim.engine;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Nodes that handle one input at a time, each message taking a service time: an input that reaches
 * a node while it is busy, or while earlier inputs wait, waits in the node's inbox in arrival
 * order, as in an actor's mailbox. Timer expiries and link events cost no service time but wait
 * their turn like the rest. Also counts the waits, for the scenarios to report.
 */
final class BusyNodes {

  /** An input waiting in an inbox, with its queue sequence (a timer's identity) and arrival. */
  record Waiting(Object input, long sequence, long arrival) {}

  private final long serviceTime;
  private long[] busyUntil = new long[16];
  private Inbox[] inboxes = new Inbox[16];
  private long waits;
  private long totalWait;

  BusyNodes(long serviceTime) {
    this.serviceTime = serviceTime;
  }

  /** Whether an input reaching {@code node} at {@code now} has to wait. */
  boolean mustWait(int node, long now) {
    grow(node);
    return busyUntil[node] > now || hasWaiting(node);
  }

  /**
   * Puts an input at the end of the node's inbox and returns whether the inbox was empty: the
   * caller then wakes the node at {@link #freeAt}.
   */
  boolean enqueue(int node, Waiting waiting) {
    grow(node);
    if (inboxes[node] == null) {
      inboxes[node] = new Inbox();
    }
    inboxes[node].waiting.add(waiting);
    return inboxes[node].waiting.size() == 1;
  }

  /** Takes the oldest waiting input of the node, counting how long it waited until {@code now}. */
  Waiting take(int node, long now) {
    Waiting w = inboxes[node].waiting.poll();
    waits++;
    totalWait += now - w.arrival();
    return w;
  }

  boolean hasWaiting(int node) {
    return node < inboxes.length && inboxes[node] != null && !inboxes[node].waiting.isEmpty();
  }

  /** When the handling in progress ends. */
  long freeAt(int node) {
    grow(node);
    return busyUntil[node];
  }

  /**
   * Starts handling an input at {@code now}, {@code charged} when it is a message, and returns when
   * the handling ends: when what it sends leaves.
   */
  long start(int node, long now, boolean charged) {
    grow(node);
    busyUntil[node] = charged ? now + serviceTime : now;
    return busyUntil[node];
  }

  /** A crashed node's inbox is lost. */
  void clear(int node) {
    if (node < inboxes.length) {
      inboxes[node] = null;
    }
  }

  /** Inputs that waited in an inbox. */
  long waits() {
    return waits;
  }

  /** Their total wait, in nanoseconds. */
  long totalWait() {
    return totalWait;
  }

  private void grow(int node) {
    if (node >= busyUntil.length) {
      int size = Math.max(node + 1, 2 * busyUntil.length);
      busyUntil = Arrays.copyOf(busyUntil, size);
      inboxes = Arrays.copyOf(inboxes, size);
    }
  }

  /** One node's waiting inputs, oldest first. */
  private static final class Inbox {
    final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  }
}
