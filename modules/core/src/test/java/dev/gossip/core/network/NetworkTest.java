package dev.gossip.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.GossipSettings;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * About fifty composed nodes on a seeded event queue: the roles together deliver, and recover.
 * Every test runs with the roles composed synchronously and in per-role mailboxes interleaved at
 * random, the order the runtime's actors may take.
 */
class NetworkTest {

  private static final int NODES = 50;
  private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  /** Seeds 1-3 in both compositions. */
  static Stream<Arguments> seedsAndModes() {
    return Stream.of(TestNetwork.Mode.values())
        .flatMap(mode -> Stream.of(1L, 2L, 3L).map(seed -> Arguments.of(seed, mode)));
  }

  /** Seeds 1-2 in both compositions. */
  static Stream<Arguments> twoSeedsAndModes() {
    return seedsAndModes().filter(a -> (long) a.get()[0] <= 2);
  }

  /** Starts node 0, then joins every other node through it, 200 ms apart, and lets it settle. */
  private static TestNetwork formed(long seed, TestNetwork.Mode mode) {
    TestNetwork net = new TestNetwork(GossipSettings.defaults(), seed, mode);
    NodeId first = net.addNode(0, List.of());
    NodeId contact = NodeId.contact(first.host(), first.port());
    for (int i = 1; i < NODES; i++) {
      net.runFor(200 * MILLI);
      net.addNode(i, List.of(contact));
    }
    net.runFor(30 * SECOND);
    return net;
  }

  private static byte[] payload(int i) {
    return ("message " + i).getBytes(StandardCharsets.UTF_8);
  }

  /** Every id delivered exactly once at every given node; the failures name node and id. */
  private static void assertDeliveredOnceEverywhere(
      TestNetwork net, List<MessageId> ids, List<NodeId> at) {
    List<String> wrong = new ArrayList<>();
    for (MessageId id : ids) {
      Map<NodeId, Integer> counts = net.deliveryCounts(id);
      for (NodeId node : at) {
        int n = counts.get(node);
        if (n != 1) {
          wrong.add(node + " delivered " + id + " " + n + " times");
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  @ParameterizedTest(name = "seed {0}, {1}")
  @MethodSource("seedsAndModes")
  void everyBroadcastFromAnyNodeIsDeliveredExactlyOnceEverywhere(long seed, TestNetwork.Mode mode) {
    TestNetwork net = formed(seed, mode);
    SplittableRandom senders = new SplittableRandom(seed);
    List<NodeId> live = net.live();
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(net.broadcast(live.get(senders.nextInt(live.size())), payload(i)));
      net.runFor(50 * MILLI);
    }
    net.runFor(5 * SECOND);
    assertDeliveredOnceEverywhere(net, ids, live);
  }

  @ParameterizedTest(name = "seed {0}, {1}")
  @MethodSource("seedsAndModes")
  void redundancyFallsToNearZeroOnceTheTreeHasSettled(long seed, TestNetwork.Mode mode) {
    TestNetwork net = formed(seed, mode);
    NodeId sender = net.live().get(7);
    List<Double> rmr = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      MessageId id = net.broadcast(sender, payload(i));
      net.runFor(500 * MILLI);
      // Relative message redundancy: payload receipts per delivering node beyond the first.
      rmr.add(net.gossipReceived(id) / (double) (NODES - 1) - 1);
    }
    double first = rmr.get(0);
    double settled = rmr.subList(10, 40).stream().mapToDouble(d -> d).average().orElseThrow();
    assertTrue(first > 0.5, "the first broadcast floods the overlay, RMR was " + first);
    assertTrue(settled < 0.05, "RMR after the tree settled should be near 0, was " + settled);
  }

  @ParameterizedTest(name = "seed {0}, {1}")
  @MethodSource("seedsAndModes")
  void aNodeCutOffLongerThanTheIHaveWindowCatchesUpAfterRejoining(
      long seed, TestNetwork.Mode mode) {
    TestNetwork net = formed(seed, mode);
    List<NodeId> live = net.live();
    NodeId cutOff = live.get(23);
    net.partition(List.of(cutOff));
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      NodeId sender = live.get(i % live.size());
      ids.add(net.broadcast(sender, payload(i)));
      net.runFor(500 * MILLI);
    }
    assertEquals(0, net.node(cutOff).membership().activeView().size(), "links timed out");
    net.heal();
    net.runFor(60 * SECOND);
    assertTrue(net.node(cutOff).membership().activeView().size() > 0, "rejoined");
    assertDeliveredOnceEverywhere(net, ids, live);
  }

  @ParameterizedTest(name = "seed {0}, {1}")
  @MethodSource("seedsAndModes")
  void twoHalvesWithFullViewsMergeAfterAPartitionHealsAndCatchUp(long seed, TestNetwork.Mode mode) {
    TestNetwork net = formed(seed, mode);
    List<NodeId> live = net.live();
    List<NodeId> left = live.subList(0, NODES / 2);
    List<NodeId> right = live.subList(NODES / 2, NODES);
    net.partition(right);
    net.runFor(20 * SECOND); // links across time out; each half refills from itself
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      NodeId sender = (i % 2 == 0 ? left : right).get(i % left.size());
      ids.add(net.broadcast(sender, payload(i)));
      net.runFor(500 * MILLI);
    }
    assertEquals(2, net.components().size(), "split in two during the partition");
    // No view is empty, so the re-join fallback cannot be what merges the halves again.
    for (NodeId id : live) {
      assertTrue(net.node(id).membership().activeView().size() >= 3, id + " refilled on its side");
    }

    net.heal();
    net.runFor(120 * SECOND);

    assertEquals(1, net.components().size(), "one overlay again");
    assertDeliveredOnceEverywhere(net, ids, live);
  }

  @ParameterizedTest(name = "seed {0}, {1}")
  @MethodSource("seedsAndModes")
  void broadcastsAfterAFifthOfTheNodesCrashReachEverySurvivor(long seed, TestNetwork.Mode mode) {
    TestNetwork net = formed(seed, mode);
    SplittableRandom chooser = new SplittableRandom(seed);
    List<NodeId> all = new ArrayList<>(net.live());
    for (int i = 0; i < NODES / 5; i++) {
      net.crash(all.remove(chooser.nextInt(all.size())));
    }
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ids.add(net.broadcast(all.get(chooser.nextInt(all.size())), payload(i)));
      net.runFor(100 * MILLI);
    }
    net.runFor(10 * SECOND);
    assertDeliveredOnceEverywhere(net, ids, all);
  }

  @ParameterizedTest(name = "seed {0}, {1}")
  @MethodSource("twoSeedsAndModes")
  void theSameSeedReplaysTheSameRun(long seed, TestNetwork.Mode mode) {
    assertEquals(deliveryTrace(seed, mode), deliveryTrace(seed, mode));
  }

  private static Map<String, List<String>> deliveryTrace(long seed, TestNetwork.Mode mode) {
    TestNetwork net = formed(seed, mode);
    List<NodeId> live = net.live();
    for (int i = 0; i < 20; i++) {
      net.broadcast(live.get(i), payload(i));
      net.runFor(100 * MILLI);
    }
    net.runFor(5 * SECOND);
    Map<String, List<String>> views = new LinkedHashMap<>();
    for (NodeId id : live) {
      views.put(
          id.toString(),
          net.node(id).membership().activeView().stream().map(NodeId::toString).toList());
    }
    views.put("deliveries", net.trace());
    return views;
  }
}
