package dev.gossip.sim.engine;

import java.util.Arrays;

/**
 * The simulator's event queue: a binary min-heap ordered by (virtual time, sequence), stored as
 * parallel primitive arrays indexed by slot so an event costs no wrapper object. The sequence makes
 * the order of simultaneous events the order they were scheduled, which a seed replays exactly.
 */
final class EventQueue {

  private long[] time = new long[1024];
  private long[] sequence = new long[1024];
  private int[] target = new int[1024];
  private Object[] payload = new Object[1024];
  private int[] heap = new int[1024];
  private int[] freeSlots = new int[1024];
  private int freeCount;
  private int slotCount;
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
    return time[heap[0]];
  }

  /** Adds an event and returns its sequence number, unique over the run. */
  long push(long at, int to, Object what) {
    int slot = allocate();
    long seq = nextSequence++;
    time[slot] = at;
    sequence[slot] = seq;
    target[slot] = to;
    payload[slot] = what;
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    siftUp(size++, slot);
    return seq;
  }

  /** Removes the earliest event into the polled fields. */
  void poll() {
    int slot = heap[0];
    polledTime = time[slot];
    polledSequence = sequence[slot];
    polledTarget = target[slot];
    polledPayload = payload[slot];
    payload[slot] = null;
    release(slot);
    int last = heap[--size];
    if (size > 0) {
      siftDown(0, last);
    }
  }

  private boolean before(int a, int b) {
    long ta = time[a];
    long tb = time[b];
    return ta < tb || (ta == tb && sequence[a] < sequence[b]);
  }

  private void siftUp(int pos, int slot) {
    while (pos > 0) {
      int parent = (pos - 1) >>> 1;
      int p = heap[parent];
      if (!before(slot, p)) {
        break;
      }
      heap[pos] = p;
      pos = parent;
    }
    heap[pos] = slot;
  }

  private void siftDown(int pos, int slot) {
    int half = size >>> 1;
    while (pos < half) {
      int child = 2 * pos + 1;
      int c = heap[child];
      int right = child + 1;
      if (right < size && before(heap[right], c)) {
        child = right;
        c = heap[child];
      }
      if (!before(c, slot)) {
        break;
      }
      heap[pos] = c;
      pos = child;
    }
    heap[pos] = slot;
  }

  private int allocate() {
    if (freeCount > 0) {
      return freeSlots[--freeCount];
    }
    if (slotCount == time.length) {
      int n = slotCount * 2;
      time = Arrays.copyOf(time, n);
      sequence = Arrays.copyOf(sequence, n);
      target = Arrays.copyOf(target, n);
      payload = Arrays.copyOf(payload, n);
    }
    return slotCount++;
  }

  private void release(int slot) {
    if (freeCount == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
    }
    freeSlots[freeCount++] = slot;
  }
}
