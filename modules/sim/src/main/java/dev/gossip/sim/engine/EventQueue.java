package dev.gossip.sim.engine;

import java.util.Arrays;

/**
 * The simulator's event queue: a binary min-heap ordered by (virtual time, sequence), stored as
 * parallel primitive arrays in heap order, so an event costs no wrapper object and a comparison
 * reads the heap's own arrays rather than following an index. The sequence makes the order of
 * simultaneous events the order they were scheduled, which a seed replays exactly.
 */
final class EventQueue {

  private long[] time = new long[1024];
  private long[] sequence = new long[1024];
  private int[] target = new int[1024];
  private Object[] payload = new Object[1024];
  private int size;
  private long nextSequence = 1;

  // The event last taken by poll().
  long polledTime;
  long polledSequence;
  int polledTarget;
  Object polledPayload;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  long peekTime() {
    return time[0];
  }

  /** Adds an event and returns its sequence number, unique over the run. */
  long push(long at, int to, Object what) {
    long seq = nextSequence++;
    if (size == time.length) {
      int n = size * 2;
      time = Arrays.copyOf(time, n);
      sequence = Arrays.copyOf(sequence, n);
      target = Arrays.copyOf(target, n);
      payload = Arrays.copyOf(payload, n);
    }
    int pos = size++;
    while (pos > 0) {
      int parent = (pos - 1) >>> 1;
      long tp = time[parent];
      if (at > tp || (at == tp && seq > sequence[parent])) {
        break;
      }
      move(parent, pos);
      pos = parent;
    }
    set(pos, at, seq, to, what);
    return seq;
  }

  /** Removes the earliest event into the polled fields. */
  void poll() {
    polledTime = time[0];
    polledSequence = sequence[0];
    polledTarget = target[0];
    polledPayload = payload[0];
    int last = --size;
    long at = time[last];
    long seq = sequence[last];
    int to = target[last];
    Object what = payload[last];
    payload[last] = null;
    if (size == 0) {
      return;
    }
    int pos = 0;
    int half = size >>> 1;
    while (pos < half) {
      int child = 2 * pos + 1;
      int right = child + 1;
      if (right < size && before(right, child)) {
        child = right;
      }
      long tc = time[child];
      if (tc > at || (tc == at && sequence[child] > seq)) {
        break;
      }
      move(child, pos);
      pos = child;
    }
    set(pos, at, seq, to, what);
  }

  private boolean before(int a, int b) {
    long ta = time[a];
    long tb = time[b];
    return ta < tb || (ta == tb && sequence[a] < sequence[b]);
  }

  private void move(int from, int to) {
    time[to] = time[from];
    sequence[to] = sequence[from];
    target[to] = target[from];
    payload[to] = payload[from];
  }

  private void set(int pos, long at, long seq, int to, Object what) {
    time[pos] = at;
    sequence[pos] = seq;
    target[pos] = to;
    payload[pos] = what;
  }
}
