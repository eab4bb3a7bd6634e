package dev.gossip.akka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.gossip.akka.internal.wire.Codec;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.Digest;
import dev.gossip.core.message.Disconnect;
import dev.gossip.core.message.ForwardJoin;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Graft;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.Join;
import dev.gossip.core.message.Neighbor;
import dev.gossip.core.message.NeighborReply;
import dev.gossip.core.message.OriginSummary;
import dev.gossip.core.message.Ping;
import dev.gossip.core.message.Pong;
import dev.gossip.core.message.Prune;
import dev.gossip.core.message.Recovered;
import dev.gossip.core.message.SequenceRange;
import dev.gossip.core.message.Shuffle;
import dev.gossip.core.message.ShuffleReply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Wire compatibility: a Pekko-flavour node and an Akka-flavour node share one overlay. */
class MixedOverlayTest {

  /** The defaults with the local preset (no TLS key material needed). */
  private static final Config LOCAL =
      ConfigFactory.parseString("gossip.preset = local")
          .withFallback(ConfigFactory.load())
          .resolve();

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @Test
  void aPekkoNodeAndAnAkkaNodeJoinOneOverlayAndExchangeBroadcasts() throws Exception {
    try (PekkoNode pekko = new PekkoNode("pekko-node");
        TestNode akka = TestNode.start()) {
      pekko.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
      akka.gossip.join(List.of(pekko.address())).toCompletableFuture().get(30, TimeUnit.SECONDS);
      NodeId pekkoId = pekko.gossip.self();
      TestNode.await(
          TIMEOUT, "the Pekko node as the Akka node's neighbour", () -> akka.isNeighbor(pekkoId));

      MessageId fromPekko =
          pekko.gossip.broadcast("from pekko".getBytes(UTF_8)).toCompletableFuture().get();
      MessageId fromAkka =
          akka.gossip.broadcast("from akka".getBytes(UTF_8)).toCompletableFuture().get();
      TestNode.await(
          TIMEOUT,
          "both broadcasts at both nodes",
          () ->
              pekko.delivered(fromPekko) == 1
                  && pekko.delivered(fromAkka) == 1
                  && akka.delivered(fromPekko) == 1
                  && akka.delivered(fromAkka) == 1);
      // Neither side refused a frame of the other (every message type's frames are compared
      // byte for byte in the test below).
      assertEquals(
          0L, pekko.gossip.metrics().framesDropped().values().stream().mapToLong(n -> n).sum());
      assertEquals(
          0L, akka.gossip.metrics().framesDropped().values().stream().mapToLong(n -> n).sum());
      assertTrue(akka.isNeighbor(pekkoId));
    }
  }

  @Test
  void bothFlavoursWriteTheSameFramesAndReadEachOthers() throws Exception {
    NodeId a = new NodeId("127.0.0.1", 7001, 11);
    NodeId b = new NodeId("10.0.0.2", 7002, 22);
    MessageId id = new MessageId(a, 3);
    List<Object> messages =
        List.of(
            new Join(),
            new ForwardJoin(b, 4),
            new Neighbor(true),
            new NeighborReply(false),
            new Disconnect(true),
            new Shuffle(a, 6, List.of(a, b)),
            new ShuffleReply(List.of(b)),
            new Gossip(id, 2, "hello".getBytes(UTF_8)),
            new IHave(List.of(new Announcement(id, 5))),
            Graft.of(id),
            new Prune(a),
            new Recovered(id, 7, new byte[] {1, 2, 3}),
            new Digest(List.of(new OriginSummary(a, 9, List.of(new SequenceRange(2, 4)))), true),
            new Ping(123_456_789L),
            new Pong(-5L));
    try (PekkoNode pekkoNode = new PekkoNode("pekko-codec");
        TestNode akkaNode = TestNode.start()) {
      var pekkoCodec =
          new dev.gossip.pekko.internal.wire.Codec(pekkoNode.system.classicSystem(), 65536);
      Codec akkaCodec = new Codec(akkaNode.system.classicSystem(), 65536);
      assertSameFrames(
          pekkoCodec,
          akkaCodec,
          new dev.gossip.pekko.internal.wire.Hello(a),
          new dev.gossip.akka.internal.wire.Hello(a));
      for (Object m : messages) {
        assertSameFrames(pekkoCodec, akkaCodec, m, m);
      }
    }
  }

  private static void assertSameFrames(
      dev.gossip.pekko.internal.wire.Codec pekkoCodec,
      Codec akkaCodec,
      Object pekkoMessage,
      Object akkaMessage)
      throws Exception {
    byte[] fromPekko = pekkoCodec.encode(pekkoMessage).toArray();
    byte[] fromAkka = akkaCodec.encode(akkaMessage).toArray();
    assertArrayEquals(fromPekko, fromAkka, akkaMessage.toString());
    // Each side reads the other's frame back into the message it would have written itself.
    List<Object> readByAkka =
        akkaCodec
            .newDecoder(
                new dev.gossip.akka.internal.wire.FrameLimits(
                    NodeSettings.load(LOCAL).transport().limits()))
            .feed(akka.util.ByteString.fromArray(fromPekko));
    assertEquals(1, readByAkka.size());
    assertArrayEquals(
        fromPekko, akkaCodec.encode(readByAkka.get(0)).toArray(), akkaMessage.toString());
    List<Object> readByPekko =
        pekkoCodec
            .newDecoder(
                new dev.gossip.pekko.internal.wire.FrameLimits(
                    dev.gossip.pekko.NodeSettings.load(LOCAL).transport().limits()))
            .feed(org.apache.pekko.util.ByteString.fromArray(fromAkka));
    assertEquals(1, readByPekko.size());
    assertArrayEquals(
        fromAkka, pekkoCodec.encode(readByPekko.get(0)).toArray(), akkaMessage.toString());
  }
}
