package dev.gossip.sim.engine;

import java.util.Arrays;

/** A small growable set of node indices (a node's open links): linear scans beat hashing here. */
final class IntList {
  private int[] values = new int[8];
  private int size;

  int size() {
    return size;
  }

  int get(int i) {
    return values[i];
  }

  boolean contains(int v) {
    for (int i = 0; i < size; i++) {
      if (values[i] == v) {
        return true;
      }
    }
    return false;
  }

  void add(int v) {
    if (contains(v)) {
      return;
    }
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
  }

  void remove(int v) {
    for (int i = 0; i < size; i++) {
      if (values[i] == v) {
        values[i] = values[--size];
        return;
      }
    }
  }

  void clear() {
    size = 0;
  }
}
