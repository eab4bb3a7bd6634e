package dev.gossip.testkit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts a {@link TestCluster} before each test and stops it after:
 *
 * <pre>{@code
 * @RegisterExtension
 * final GossipClusterExtension gossip = GossipClusterExtension.withNodes(5);
 *
 * @Test
 * void everyNodeGetsIt(TestCluster cluster) { ... }   // or gossip.cluster()
 * }</pre>
 *
 * Register it on an instance field (one cluster per test). Test methods and lifecycle methods may
 * take the {@link TestCluster} as a parameter.
 */
public final class GossipClusterExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private final int nodes;
  private String config = "";
  private boolean joined = true;
  private TestCluster cluster;

  private GossipClusterExtension(int nodes) {
    this.nodes = nodes;
  }

  /** A cluster of {@code nodes} nodes, joined into one overlay before each test. */
  public static GossipClusterExtension withNodes(int nodes) {
    return new GossipClusterExtension(nodes);
  }

  /** HOCON applied to every node (see {@link TestCluster.Builder#config}). */
  public GossipClusterExtension config(String hocon) {
    this.config = hocon;
    return this;
  }

  /** Whether the nodes join at start (default true). */
  public GossipClusterExtension joined(boolean join) {
    this.joined = join;
    return this;
  }

  /** The cluster of the running test. */
  public TestCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException("no test is running: the cluster starts before each test");
    }
    return cluster;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    cluster = TestCluster.builder().nodes(nodes).config(config).joined(joined).start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (cluster != null) {
      try {
        cluster.close();
      } finally {
        cluster = null;
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return cluster();
  }
}
