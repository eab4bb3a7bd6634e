package dev.gossip.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OverlayGraphTest {

  /** Triangles 0-1-2 and 1-2-3, a tail 3-4 held in one view only; links count both ways. */
  private static final OverlayGraph TWO_TRIANGLES =
      OverlayGraph.of(new int[][] {{1, 2}, {0, 2, 3}, {0, 1, 3}, {1, 2, 4}, {}});

  private static final OverlayGraph CLIQUE_OF_FOUR =
      OverlayGraph.of(new int[][] {{1, 2, 3}, {0, 2, 3}, {0, 1, 3}, {0, 1, 2}});

  @Test
  void countsEachTriangleOnce() {
    assertEquals(2, TWO_TRIANGLES.triangles());
    assertEquals(4, CLIQUE_OF_FOUR.triangles());
    assertEquals(0, OverlayGraph.of(new int[][] {{1}, {2}, {3}, {0}}).triangles());
  }

  @Test
  void clusteringIsTheMeanShareOfLinkedNeighbourPairs() {
    // Nodes 0 to 4: 1, 2/3, 2/3, 1/3 and 0 (one neighbour).
    assertEquals(8.0 / 15, TWO_TRIANGLES.clusteringCoefficient(), 1e-12);
    assertEquals(1.0, CLIQUE_OF_FOUR.clusteringCoefficient(), 1e-12);
  }

  @Test
  void randomGraphClusteringFollowsTheDegrees() {
    // Degree 3 everywhere: (k - 1)^2 / (k n) = 4 / 12.
    assertEquals(1.0 / 3, CLIQUE_OF_FOUR.randomGraphClustering(), 1e-12);
    // Degrees 2, 3, 3, 3, 1: <k> = 2.4, <k^2> = 6.4, (6.4 - 2.4)^2 / (2.4^3 * 5).
    assertEquals(16 / (2.4 * 2.4 * 2.4 * 5), TWO_TRIANGLES.randomGraphClustering(), 1e-12);
    assertEquals(0, OverlayGraph.of(new int[][] {{}, {}}).randomGraphClustering());
  }
}
