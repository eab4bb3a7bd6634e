package dev.gossip.sim.metrics;

import dev.gossip.core.NodeId;
import dev.gossip.core.ProtocolNode;
import dev.gossip.sim.engine.Simulation;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A snapshot of the live nodes' active views as a directed graph (an edge a -> b when b is in a's
 * active view), with the properties the HyParView paper reports (section 5.2, Table 1): clustering
 * coefficient, average shortest path, in-degree distribution; plus connectivity and symmetry.
 * Adjacency is kept in compressed rows of node positions, so graphs of 100,000 nodes stay small.
 */
public final class OverlayGraph {

  private final int size;
  private final int[] offsets;
  private final int[] targets;
  private final int[] inDegree;
  private final int[] undirectedOffsets;
  private final int[] undirectedTargets;

  private OverlayGraph(int size, int[] offsets, int[] targets) {
    this.size = size;
    this.offsets = offsets;
    this.targets = targets;
    this.inDegree = new int[size];
    for (int t : targets) {
      inDegree[t]++;
    }
    // The union of both directions: the links along which messages can flow.
    int[] degree = new int[size];
    for (int a = 0; a < size; a++) {
      for (int k = offsets[a]; k < offsets[a + 1]; k++) {
        int b = targets[k];
        degree[a]++;
        if (!hasEdge(b, a)) {
          degree[b]++;
        }
      }
    }
    undirectedOffsets = new int[size + 1];
    for (int a = 0; a < size; a++) {
      undirectedOffsets[a + 1] = undirectedOffsets[a] + degree[a];
    }
    undirectedTargets = new int[undirectedOffsets[size]];
    int[] fill = Arrays.copyOf(undirectedOffsets, size);
    for (int a = 0; a < size; a++) {
      for (int k = offsets[a]; k < offsets[a + 1]; k++) {
        int b = targets[k];
        undirectedTargets[fill[a]++] = b;
        if (!hasEdge(b, a)) {
          undirectedTargets[fill[b]++] = a;
        }
      }
    }
    for (int a = 0; a < size; a++) {
      Arrays.sort(undirectedTargets, undirectedOffsets[a], undirectedOffsets[a + 1]);
    }
  }

  /** The active-view graph of the simulation's live nodes. */
  public static OverlayGraph of(Simulation sim) {
    int[] live = sim.liveNodes();
    int[] position = new int[sim.nodeCount()];
    Arrays.fill(position, -1);
    for (int p = 0; p < live.length; p++) {
      position[live[p]] = p;
    }
    int[] offsets = new int[live.length + 1];
    int[] targets = new int[live.length * 8];
    int n = 0;
    for (int p = 0; p < live.length; p++) {
      ProtocolNode node = sim.node(live[p]);
      for (NodeId peer : node.membership().activeView()) {
        int index = sim.resolve(peer);
        if (index >= 0 && position[index] >= 0) {
          if (n == targets.length) {
            targets = Arrays.copyOf(targets, n * 2);
          }
          targets[n++] = position[index];
        }
      }
      offsets[p + 1] = n;
    }
    return new OverlayGraph(live.length, offsets, Arrays.copyOf(targets, n));
  }

  /** The graph of the given views: element a lists the positions in a's active view. */
  static OverlayGraph of(int[][] views) {
    int[] offsets = new int[views.length + 1];
    for (int a = 0; a < views.length; a++) {
      offsets[a + 1] = offsets[a] + views[a].length;
    }
    int[] targets = new int[offsets[views.length]];
    for (int a = 0; a < views.length; a++) {
      System.arraycopy(views[a], 0, targets, offsets[a], views[a].length);
    }
    return new OverlayGraph(views.length, offsets, targets);
  }

  public int size() {
    return size;
  }

  private boolean hasEdge(int a, int b) {
    for (int k = offsets[a]; k < offsets[a + 1]; k++) {
      if (targets[k] == b) {
        return true;
      }
    }
    return false;
  }

  /** Share of active-view entries a -> b whose reverse b -> a also exists (1 when symmetric). */
  public double symmetry() {
    if (targets.length == 0) {
      return 1;
    }
    int symmetric = 0;
    for (int a = 0; a < size; a++) {
      for (int k = offsets[a]; k < offsets[a + 1]; k++) {
        if (hasEdge(targets[k], a)) {
          symmetric++;
        }
      }
    }
    return (double) symmetric / targets.length;
  }

  /** How many nodes have each in-degree: element d counts the nodes with in-degree d. */
  public int[] inDegreeHistogram() {
    int max = 0;
    for (int d : inDegree) {
      max = Math.max(max, d);
    }
    int[] histogram = new int[max + 1];
    for (int d : inDegree) {
      histogram[d]++;
    }
    return histogram;
  }

  /** Nodes with an empty active view: cut off from every broadcast. */
  public int isolatedNodes() {
    int isolated = 0;
    for (int a = 0; a < size; a++) {
      if (undirectedOffsets[a + 1] == undirectedOffsets[a]) {
        isolated++;
      }
    }
    return isolated;
  }

  /** Sizes of the connected components (links taken both ways), largest first. */
  public int[] componentSizes() {
    int[] component = new int[size];
    Arrays.fill(component, -1);
    int[] stack = new int[size];
    int[] sizes = new int[size];
    int count = 0;
    for (int s = 0; s < size; s++) {
      if (component[s] >= 0) {
        continue;
      }
      int top = 0;
      stack[top++] = s;
      component[s] = count;
      int members = 0;
      while (top > 0) {
        int a = stack[--top];
        members++;
        for (int k = undirectedOffsets[a]; k < undirectedOffsets[a + 1]; k++) {
          int b = undirectedTargets[k];
          if (component[b] < 0) {
            component[b] = count;
            stack[top++] = b;
          }
        }
      }
      sizes[count++] = members;
    }
    int[] result = Arrays.copyOf(sizes, count);
    Arrays.sort(result);
    for (int i = 0; i < count / 2; i++) {
      int t = result[i];
      result[i] = result[count - 1 - i];
      result[count - 1 - i] = t;
    }
    return result;
  }

  /**
   * Mean over nodes of the share of neighbour pairs that are themselves linked (Watts-Strogatz),
   * links taken both ways; nodes with fewer than two neighbours count as 0.
   */
  public double clusteringCoefficient() {
    if (size == 0) {
      return 0;
    }
    double sum = 0;
    for (int a = 0; a < size; a++) {
      int from = undirectedOffsets[a];
      int degree = undirectedOffsets[a + 1] - from;
      if (degree < 2) {
        continue;
      }
      int linked = 0;
      for (int i = from; i < from + degree; i++) {
        for (int j = i + 1; j < from + degree; j++) {
          if (linkedUndirected(undirectedTargets[i], undirectedTargets[j])) {
            linked++;
          }
        }
      }
      sum += 2.0 * linked / ((double) degree * (degree - 1));
    }
    return sum / size;
  }

  /**
   * Triangles (three nodes linked pairwise, links taken both ways). With degree k everywhere the
   * clustering coefficient is 6 × triangles / (n k (k − 1)), so at 10,000 nodes and k = 5 it rests
   * on a few tens of triangles.
   */
  public long triangles() {
    long triangles = 0;
    for (int a = 0; a < size; a++) {
      for (int i = undirectedOffsets[a]; i < undirectedOffsets[a + 1]; i++) {
        int b = undirectedTargets[i];
        if (b <= a) {
          continue;
        }
        for (int j = i + 1; j < undirectedOffsets[a + 1]; j++) {
          // Rows are sorted, so every c after b in a's row is above b: each triangle counts once.
          if (linkedUndirected(b, undirectedTargets[j])) {
            triangles++;
          }
        }
      }
    }
    return triangles;
  }

  /**
   * The clustering coefficient expected of a random graph with the same degrees (configuration
   * model, Newman 2003): (⟨k²⟩ − ⟨k⟩)² / (⟨k⟩³ n), (k − 1)² / (k n) when every degree is k. What a
   * walk-built overlay adds above this is local structure.
   */
  public double randomGraphClustering() {
    double sum = 0;
    double squares = 0;
    for (int a = 0; a < size; a++) {
      double k = undirectedOffsets[a + 1] - undirectedOffsets[a];
      sum += k;
      squares += k * k;
    }
    if (sum == 0) {
      return 0;
    }
    double mean = sum / size;
    double excess = squares / size - mean;
    return excess * excess / (mean * mean * mean * size);
  }

  private boolean linkedUndirected(int a, int b) {
    return Arrays.binarySearch(undirectedTargets, undirectedOffsets[a], undirectedOffsets[a + 1], b)
        >= 0;
  }

  /**
   * Mean hop distance between reachable pairs, by breadth-first search from every node, or from
   * {@code maxSources} seeded random nodes when there are more (an unbiased estimate).
   */
  public double averageShortestPath(int maxSources, long seed) {
    if (size < 2) {
      return 0;
    }
    int[] sources = new int[Math.min(size, maxSources)];
    if (sources.length == size) {
      Arrays.setAll(sources, i -> i);
    } else {
      int[] all = new int[size];
      Arrays.setAll(all, i -> i);
      SplittableRandom random = new SplittableRandom(seed);
      for (int i = 0; i < sources.length; i++) {
        int j = i + random.nextInt(size - i);
        int t = all[i];
        all[i] = all[j];
        all[j] = t;
        sources[i] = all[i];
      }
    }
    int[] distance = new int[size];
    int[] queue = new int[size];
    long total = 0;
    long pairs = 0;
    for (int s : sources) {
      Arrays.fill(distance, -1);
      distance[s] = 0;
      int head = 0;
      int tail = 0;
      queue[tail++] = s;
      while (head < tail) {
        int a = queue[head++];
        for (int k = undirectedOffsets[a]; k < undirectedOffsets[a + 1]; k++) {
          int b = undirectedTargets[k];
          if (distance[b] < 0) {
            distance[b] = distance[a] + 1;
            total += distance[b];
            pairs++;
            queue[tail++] = b;
          }
        }
      }
    }
    return pairs == 0 ? 0 : (double) total / pairs;
  }
}
