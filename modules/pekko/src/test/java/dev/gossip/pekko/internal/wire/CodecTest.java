package dev.gossip.pekko.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.message.Ack;
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
import java.util.Arrays;
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
            new Gossip(ID, 1, "confirm".getBytes(StandardCharsets.UTF_8), true),
            new Gossip(ID, 1, "first".getBytes(StandardCharsets.UTF_8), false, B),
            new Gossip(ID, 1, "first, confirm".getBytes(StandardCharsets.UTF_8), true, B),
            new Ack(ID),
            new IHave(List.of(new Announcement(ID, 5))),
            Graft.of(ID),
            new Graft(B, List.of()),
            new Prune(A),
            new Recovered(ID, 7, new byte[] {1, 2, 3}),
            new Digest(List.of(new OriginSummary(A, 9, List.of(new SequenceRange(2, 4)))), true),
            new Ping(123_456_789L),
            new Pong(-5L));
    for (Object m : messages) {
      assertEquals(
          List.of(m),
          CODEC.newDecoder(DefaultFrameLimits.LIMITS).feed(CODEC.encode(m)),
          m.toString());
    }
  }

  @Test
  void framesSplitAndJoinedAcrossChunksDecodeInOrder() throws Exception {
    ByteString all =
        CODEC.encode(new Ping(1)).concat(CODEC.encode(new Gossip(ID, 1, new byte[300])));
    Codec.Decoder decoder = CODEC.newDecoder(DefaultFrameLimits.LIMITS);
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
  void aGossipAskingForAnAckDiffersFromAPlainOneOnlyInItsTypeCode() {
    byte[] payload = {1, 2, 3};
    ByteString plain = CODEC.encode(new Gossip(ID, 1, payload));
    ByteString asking = CODEC.encode(new Gossip(ID, 1, payload, true));
    assertEquals(10, plain.apply(5));
    assertEquals(15, asking.apply(5));
    assertEquals(plain.take(5), asking.take(5));
    assertEquals(plain.drop(6), asking.drop(6));
  }

  @Test
  void aGossipNamingATemplateHasItsOwnTypeCodesAndTheNodeIdBeforeThePayload() {
    byte[] payload = {1, 2, 3};
    ByteString plain = CODEC.encode(new Gossip(ID, 1, payload));
    ByteString named = CODEC.encode(new Gossip(ID, 1, payload, false, B));
    ByteString namedAsking = CODEC.encode(new Gossip(ID, 1, payload, true, B));
    assertEquals(17, named.apply(5));
    assertEquals(18, namedAsking.apply(5));
    int header = plain.size() - payload.length;
    assertEquals(plain.drop(6).take(header - 6), named.drop(6).take(header - 6));
    assertArrayEquals(payload, named.takeRight(payload.length).toArray());
    assertEquals(named.drop(6), namedAsking.drop(6));
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
    assertEquals(DropReason.WRONG_VERSION, refused(frame(Codec.VERSION + 1, 30, new byte[] {0})));
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

  @Test
  void edgeValuesRoundTrip() throws Exception {
    NodeId far = new NodeId("höst-" + "x".repeat(249), 65_535, Long.MAX_VALUE);
    MessageId last = new MessageId(far, Long.MAX_VALUE);
    int headroom = 4 + 2 + 1 + 255 + 2 + 9 + 9 + 5;
    List<Object> messages =
        List.of(
            new Gossip(last, Integer.MAX_VALUE, new byte[0]),
            new Gossip(last, -1, new byte[CODEC.maxFrameSize() + 4 - headroom]),
            new Recovered(new MessageId(A, 1), 0, new byte[0]),
            new IHave(List.of()),
            new IHave(
                List.of(
                    new Announcement(new MessageId(A, 900), 1),
                    new Announcement(new MessageId(A, 2), Integer.MIN_VALUE),
                    new Announcement(last, 7))),
            new Graft(far, List.of()),
            new Graft(far, List.of(new MessageId(far, 1), new MessageId(far, Long.MAX_VALUE))),
            new Prune(far),
            new Ping(Long.MIN_VALUE),
            new Pong(Long.MAX_VALUE));
    for (Object m : messages) {
      assertEquals(
          List.of(m),
          CODEC.newDecoder(DefaultFrameLimits.LIMITS).feed(CODEC.encode(m)),
          m.toString());
    }
    assertEquals(CODEC.maxFrameSize() + 4, CODEC.encode(messages.get(1)).size());
  }

  @Test
  void anIHaveOfManyOriginsCostsAFewBytesPerId() throws Exception {
    List<Announcement> announcements = new ArrayList<>();
    for (int origin = 0; origin < 50; origin++) {
      NodeId node =
          new NodeId("10.0.0." + origin, 40_000 + origin, 1_700_000_000_000_000L + origin);
      for (long sequence = 1_000; sequence < 1_020; sequence++) {
        announcements.add(new Announcement(new MessageId(node, sequence), 3));
      }
    }
    IHave ihave = new IHave(announcements);
    ByteString frame = CODEC.encode(ihave);
    assertEquals(List.of(ihave), CODEC.newDecoder(DefaultFrameLimits.LIMITS).feed(frame));
    // Each origin once (about 22 bytes), then 2 bytes per id.
    assertEquals(true, frame.size() < 50 * 22 + 1_000 * 2 + 100, frame.size() + " bytes");
  }

  @Test
  void anIHaveIsGroupedByOriginInOrderOfFirstAppearance() throws Exception {
    Announcement a1 = new Announcement(new MessageId(A, 1), 1);
    Announcement b1 = new Announcement(new MessageId(B, 1), 2);
    Announcement a2 = new Announcement(new MessageId(A, 2), 3);
    assertEquals(
        List.of(new IHave(List.of(a1, a2, b1))),
        CODEC
            .newDecoder(DefaultFrameLimits.LIMITS)
            .feed(CODEC.encode(new IHave(List.of(a1, b1, a2)))));
  }

  @Test
  void anOriginSeenAgainOnALinkIsTheSameInstance() throws Exception {
    Codec.Decoder decoder = CODEC.newDecoder(DefaultFrameLimits.LIMITS);
    NodeId first =
        ((Gossip) decoder.feed(CODEC.encode(new Gossip(ID, 1, new byte[1]))).get(0)).id().origin();
    NodeId again =
        ((Gossip) decoder.feed(CODEC.encode(new Gossip(ID, 2, new byte[1]))).get(0)).id().origin();
    assertSame(first, again);
    NodeId restarted = new NodeId(A.host(), A.port(), A.incarnation() + 1);
    Object other = decoder.feed(CODEC.encode(new Ping(1))).get(0);
    assertEquals(new Ping(1), other);
    assertEquals(
        restarted,
        ((Gossip)
                decoder
                    .feed(CODEC.encode(new Gossip(new MessageId(restarted, 1), 1, new byte[1])))
                    .get(0))
            .id()
            .origin());
  }

  @Test
  void everyBinaryBodyCutShortIsMalformed() {
    List<Object> messages =
        List.of(
            new IHave(List.of(new Announcement(ID, 5), new Announcement(new MessageId(B, 9), 1))),
            new Graft(B, List.of(new MessageId(B, 3), new MessageId(B, 300))),
            new Prune(B),
            new Ack(ID),
            new Ping(77),
            new Pong(78));
    for (Object m : messages) {
      ByteString whole = CODEC.encode(m);
      for (int cut = 0; cut < whole.size() - 6; cut++) {
        assertEquals(DropReason.MALFORMED, refused(cut(whole, cut)), m + " cut to " + cut);
      }
    }
    // A Gossip's payload is the rest of the frame: only its header can be cut short.
    for (Gossip g :
        List.of(new Gossip(ID, 2, new byte[0]), new Gossip(ID, 2, new byte[0], false, B))) {
      ByteString gossip = CODEC.encode(g);
      for (int cut = 0; cut < gossip.size() - 6; cut++) {
        assertEquals(DropReason.MALFORMED, refused(cut(gossip, cut)), g + " cut to " + cut);
      }
    }
  }

  @Test
  void bytesAfterABinaryBodyAreMalformed() {
    for (Object m :
        List.of(
            new Prune(A),
            new Ping(1),
            new Graft(A, List.of()),
            new IHave(List.of()),
            new Ack(ID))) {
      ByteString whole = CODEC.encode(m);
      byte[] body = whole.drop(6).concat(ByteString.fromArray(new byte[] {0})).toArray();
      assertEquals(
          DropReason.MALFORMED, refused(frame(Codec.VERSION, whole.apply(5), body)), m.toString());
    }
  }

  @Test
  void countsAndFieldsBeyondTheFrameAreMalformed() {
    byte[] host = {9, '1', '2', '7', '.', '0', '.', '0', '.', '1', 0x1b, 0x59, 11};
    List<byte[]> bodies =
        List.of(
            // IHave: 2^31 origin groups.
            bytes(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 8}),
            // IHave: a group count with bit 63 set.
            bytes(filled(9, (byte) 0xff), new byte[] {1}),
            // IHave: one group whose id count is beyond the frame.
            bytes(new byte[] {1}, host, new byte[] {(byte) 0xff, (byte) 0xff, 3, 2, 1}),
            // IHave: a group without ids.
            bytes(new byte[] {1}, host, new byte[] {0}),
            // IHave: a varint of 11 bytes.
            bytes(new byte[] {1}, host, new byte[] {1}, filled(11, (byte) 0xff)),
            // IHave: a round beyond 32 bits.
            bytes(
                new byte[] {1},
                host,
                new byte[] {1, 2},
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x10}),
            // IHave: sequence 0.
            bytes(new byte[] {1}, host, new byte[] {1, 0, 1}),
            // IHave: an empty host, port 0, a host that is not UTF-8, a negative incarnation.
            bytes(new byte[] {1, 0, 0x1b, 0x59, 11, 1, 2, 1}),
            bytes(new byte[] {1, 1, 'a', 0, 0, 11, 1, 2, 1}),
            bytes(new byte[] {1, 1, (byte) 0xc3, 0x1b, 0x59, 11, 1, 2, 1}),
            bytes(
                new byte[] {1, 1, 'a', 0x1b, 0x59},
                filled(9, (byte) 0xff),
                new byte[] {1, 1, 2, 1}));
    for (byte[] body : bodies) {
      assertEquals(
          DropReason.MALFORMED, refused(frame(Codec.VERSION, 11, body)), Arrays.toString(body));
    }
    // Graft: an id count beyond the frame.
    assertEquals(
        DropReason.MALFORMED,
        refused(frame(Codec.VERSION, 12, bytes(new byte[] {1}, host, new byte[] {100, 2}))));
    // Ack: sequence 0.
    assertEquals(
        DropReason.MALFORMED, refused(frame(Codec.VERSION, 16, bytes(host, new byte[] {0}))));
    // Gossip naming a template: an empty host, a host that is not UTF-8.
    for (byte[] template : List.of(new byte[] {0}, new byte[] {1, (byte) 0xc3, 0x1b, 0x59, 1})) {
      assertEquals(
          DropReason.MALFORMED,
          refused(
              frame(Codec.VERSION, 17, bytes(host, new byte[] {1, 1}, template, new byte[] {7}))));
    }
    // Gossip: a sequence beyond 64 bits.
    assertEquals(
        DropReason.MALFORMED,
        refused(frame(Codec.VERSION, 10, bytes(host, filled(9, (byte) 0xff), new byte[] {2, 1}))));
  }

  /** The frame with its body cut to {@code bodyLength} bytes and its length prefix to match. */
  private static ByteString cut(ByteString whole, int bodyLength) {
    return frame(whole.apply(4), whole.apply(5), whole.slice(6, 6 + bodyLength).toArray());
  }

  private static byte[] filled(int n, byte value) {
    byte[] out = new byte[n];
    Arrays.fill(out, value);
    return out;
  }

  private static byte[] bytes(byte[]... parts) {
    ByteStringBuilder b = new ByteStringBuilder();
    for (byte[] part : parts) {
      b.putBytes(part);
    }
    return b.result().toArray();
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
    return assertThrows(
            FrameException.class, () -> CODEC.newDecoder(DefaultFrameLimits.LIMITS).feed(bytes))
        .reason();
  }
}
