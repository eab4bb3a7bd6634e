package dev.gossip.core.membership;

import dev.gossip.core.NodeId;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Ids in insertion order, at most one per address, found by address in constant time: the views,
 * the requests out, the known nodes and the suspects, which every membership message checks for
 * other incarnations of its sender. Adding an id moves it to the end and replaces another
 * incarnation at its address.
 *
 * <p>An open-addressing table over an insertion-ordered array, so a lookup allocates nothing: it
 * runs for every message a node receives, on every node of a simulation.
 */
final class AddressSet extends AbstractSet<NodeId> {

  /** The ids in insertion order; removed ones leave null until the array is compacted. */
  private NodeId[] order = new NodeId[8];

  /** Linear-probing table of positions in {@link #order} plus one; 0 is an empty bucket. */
  private int[] table = new int[16];

  private int end;
  private int size;
  private int modifications;

  NodeId atAddress(NodeId id) {
    int bucket = find(id);
    return bucket < 0 ? null : order[table[bucket] - 1];
  }

  void removeAddress(NodeId id) {
    int bucket = find(id);
    if (bucket >= 0) {
      removeAt(bucket);
    }
  }

  @Override
  public boolean add(NodeId id) {
    int bucket = find(id);
    boolean changed = true;
    if (bucket >= 0) {
      changed = !id.equals(order[table[bucket] - 1]);
      removeAt(bucket);
    }
    if (end == order.length) {
      compactOrGrow();
    }
    order[end++] = id;
    size++;
    modifications++;
    insert(end);
    return changed;
  }

  @Override
  public boolean contains(Object o) {
    return o instanceof NodeId id && id.equals(atAddress(id));
  }

  @Override
  public boolean remove(Object o) {
    if (!(o instanceof NodeId id)) {
      return false;
    }
    int bucket = find(id);
    if (bucket < 0 || !id.equals(order[table[bucket] - 1])) {
      return false;
    }
    removeAt(bucket);
    return true;
  }

  @Override
  public Iterator<NodeId> iterator() {
    return new Iterator<>() {
      private final int expected = modifications;
      private int next = skipRemoved(0);

      @Override
      public boolean hasNext() {
        return next < end;
      }

      @Override
      public NodeId next() {
        if (modifications != expected) {
          throw new ConcurrentModificationException();
        }
        if (next >= end) {
          throw new NoSuchElementException();
        }
        NodeId id = order[next];
        next = skipRemoved(next + 1);
        return id;
      }
    };
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void clear() {
    Arrays.fill(order, 0, end, null);
    Arrays.fill(table, 0);
    end = 0;
    size = 0;
    modifications++;
  }

  private int skipRemoved(int from) {
    while (from < end && order[from] == null) {
      from++;
    }
    return from;
  }

  /** The bucket holding the id's address, or -1. */
  private int find(NodeId id) {
    int mask = table.length - 1;
    for (int b = hash(id) & mask; ; b = (b + 1) & mask) {
      int entry = table[b];
      if (entry == 0) {
        return -1;
      }
      if (order[entry - 1].sameAddress(id)) {
        return b;
      }
    }
  }

  /** Files position {@code entry - 1} of the order array under its address. */
  private void insert(int entry) {
    int mask = table.length - 1;
    int b = hash(order[entry - 1]) & mask;
    while (table[b] != 0) {
      b = (b + 1) & mask;
    }
    table[b] = entry;
  }

  /** Empties a bucket, shifting back the entries after it that probed past it. */
  private void removeAt(int bucket) {
    order[table[bucket] - 1] = null;
    size--;
    modifications++;
    int mask = table.length - 1;
    int hole = bucket;
    for (int b = (hole + 1) & mask; table[b] != 0; b = (b + 1) & mask) {
      int home = hash(order[table[b] - 1]) & mask;
      // The entry may fill the hole if its home is not within (hole, b] cyclically.
      if (((b - home) & mask) >= ((b - hole) & mask)) {
        table[hole] = table[b];
        hole = b;
      }
    }
    table[hole] = 0;
  }

  /** Drops the removed ids from the order array, growing it (and the table) if it stays full. */
  private void compactOrGrow() {
    if (size * 2 > order.length) {
      order = Arrays.copyOf(order, order.length * 2);
      table = new int[order.length * 2];
    }
    int kept = 0;
    for (int i = 0; i < end; i++) {
      if (order[i] != null) {
        order[kept++] = order[i];
      }
    }
    Arrays.fill(order, kept, end, null);
    end = kept;
    Arrays.fill(table, 0);
    for (int entry = 1; entry <= end; entry++) {
      insert(entry);
    }
  }

  private static int hash(NodeId id) {
    int h = id.host().hashCode() * 31 + id.port();
    return h ^ (h >>> 16);
  }
}
