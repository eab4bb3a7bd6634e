package dev.gossip.pekko.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import dev.gossip.pekko.DropReason;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class CodecTest {

  private static final ActorTestKit TESTKIT = ActorTestKit.create();
  private static final Codec CODEC = new Codec(TESTKIT.system().classicSystem(), 64 * 1024);

  private static final NodeId A = new NodeId("127.0.0.1", 7001, 11);
  private static final NodeId B = new NodeId("10.0.0.2", 7002, 22);
  private static final MessageId ID = new MessageId(A, 3);

  @AfterAll
  static void stop() {
    TESTKIT.shutdownTestKit();
  }

  @Test
  void everyMessageRoundTrips() throws Exception {
    List<Object> messages =
        List.of(
            new Hello(A),
            new Join(),
            new ForwardJoin(B, 4),
            new Neighbor(true),
            new NeighborReply(false),
            new Disconnect(true),
            new Shuffle(A, 6, List.of(A, B)),
            new ShuffleReply(List.of(B)),
            new Gossip(ID, 2, "hello".getBytes(StandardCharsets.UTF_8)),
            new IHave(List.of(new Announcement(ID, 5))),
            new Graft(List.of(ID)),
            new Prune(),
            new Recovered(ID, 7, new byte[] {1, 2, 3}),
            new Digest(List.of(new OriginSummary(A, 9, List.of(new SequenceRange(2, 4)))), true),
            new Ping(123_456_789L),
            new Pong(-5L));
    for (Object m : messages) {
      assertEquals(List.of(m), CODEC.newDecoder().feed(CODEC.encode(m)), m.toString());
    }
  }

  @Test
  void framesSplitAndJoinedAcrossChunksDecodeInOrder() throws Exception {
    ByteString all =
        CODEC.encode(new Ping(1)).concat(CODEC.encode(new Gossip(ID, 1, new byte[300])));
    Codec.Decoder decoder = CODEC.newDecoder();
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += 7) {
      out.addAll(decoder.feed(all.slice(i, Math.min(all.size(), i + 7))));
    }
    assertEquals(List.of(new Ping(1), new Gossip(ID, 1, new byte[300])), out);
  }

  @Test
  void payloadBytesTravelRawAfterTheHeader() {
    byte[] payload = "raw user bytes".getBytes(StandardCharsets.UTF_8);
    ByteString frame = CODEC.encode(new Gossip(ID, 1, payload));
    ByteString tail = frame.takeRight(payload.length);
    assertArrayEquals(payload, tail.toArray());
  }

  @Test
  void oversizeLengthIsRefusedBeforeTheBodyArrives() {
    ByteString header = new ByteStringBuilder().putInt(1 << 30, ByteOrder.BIG_ENDIAN).result();
    assertEquals(DropReason.OVERSIZE, refused(header));
    ByteString negative = new ByteStringBuilder().putInt(-1, ByteOrder.BIG_ENDIAN).result();
    assertEquals(DropReason.OVERSIZE, refused(negative));
  }

  @Test
  void unknownTypeWrongVersionAndGarbageAreTyped() {
    assertEquals(DropReason.UNKNOWN_TYPE, refused(frame(Codec.VERSION, 99, new byte[] {0})));
    assertEquals(DropReason.WRONG_VERSION, refused(frame(2, 30, new byte[] {0})));
    assertEquals(DropReason.MALFORMED, refused(frame(Codec.VERSION, 30, new byte[] {1, 2, 3})));
    assertEquals(
        DropReason.MALFORMED,
        refused(frame(Codec.VERSION, 10, new byte[] {(byte) 0xff, (byte) 0xff, 1})));
    assertEquals(DropReason.MALFORMED, refused(frame(Codec.VERSION, 0, new byte[] {(byte) 0xa0})));
    assertEquals(
        DropReason.MALFORMED,
        refused(
            new ByteStringBuilder().putInt(1, ByteOrder.BIG_ENDIAN).putByte((byte) 1).result()));
  }

  private static ByteString frame(int version, int type, byte[] body) {
    return new ByteStringBuilder()
        .putInt(2 + body.length, ByteOrder.BIG_ENDIAN)
        .putByte((byte) version)
        .putByte((byte) type)
        .putBytes(body)
        .result();
  }

  private static DropReason refused(ByteString bytes) {
    return assertThrows(FrameException.class, () -> CODEC.newDecoder().feed(bytes)).reason();
  }
}
