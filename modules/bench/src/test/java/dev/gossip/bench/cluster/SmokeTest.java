package dev.gossip.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * One tiny run of every scenario at n = 4 on every system: checks the harness counts correctly
 * (nothing lost, nothing delivered twice). Asserts no timing.
 */
class SmokeTest {

  private static final Scenarios.Plan TINY =
      new Scenarios.Plan(
          256,
          20,
          20,
          200,
          50,
          20,
          Duration.ofMillis(5),
          Duration.ofSeconds(5),
          Duration.ofSeconds(20),
          Duration.ofSeconds(10));

  private static List<Map<String, Object>> run(Supplier<BenchCluster> system) throws Exception {
    return ClusterBenchmark.run(List.of(4), TINY, List.of(system), System.out);
  }

  private static void assertCorrect(List<Map<String, Object>> results) {
    assertNotNull(results.get(0).get("first_broadcast_ms"), "a first broadcast reached every node");
    assertNotNull(results.get(0).get("all_to_all_ms"), "every node's broadcast reached every node");
    Map<String, Object> latency = results.get(1);
    Map<String, Object> throughput = results.get(2);
    Map<String, Object> failure = results.get(3);
    assertEquals("latency", latency.get("scenario"));
    assertEquals(0L, latency.get("lost"));
    assertEquals(0L, latency.get("duplicates"));
    assertEquals("throughput", throughput.get("scenario"));
    assertEquals(0L, throughput.get("lost"));
    assertEquals(0L, throughput.get("duplicates"));
    assertEquals(0L, throughput.get("subscriber_missed"));
    assertEquals("failure", failure.get("scenario"));
    assertEquals(1, failure.get("killed"));
    assertEquals(0L, failure.get("duplicates"));
  }

  @Test
  void gossipDeliversEveryMessageOnceAtEveryNode() throws Exception {
    assertCorrect(run(() -> new GossipCluster("local", GossipCluster.Subscriber.ACTOR)));
  }

  @Test
  void gossipSourceSubscriberDeliversEveryMessageOnceAtEveryNode() throws Exception {
    assertCorrect(run(() -> new GossipCluster("local", GossipCluster.Subscriber.SOURCE)));
  }

  @Test
  void pubSubDeliversEveryMessageOnceAtEveryNode() throws Exception {
    assertCorrect(run(PubSubCluster::new));
  }

  @Test
  void jgroupsDeliversEveryMessageOnceAtEveryNode() throws Exception {
    assertCorrect(run(JGroupsCluster::new));
  }
}
