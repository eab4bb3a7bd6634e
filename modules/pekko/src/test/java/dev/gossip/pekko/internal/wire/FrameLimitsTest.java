package dev.gossip.pekko.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.Digest;
import dev.gossip.core.message.Graft;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.OriginSummary;
import dev.gossip.core.message.Ping;
import dev.gossip.core.message.SequenceRange;
import dev.gossip.core.message.Shuffle;
import dev.gossip.core.message.ShuffleReply;
import dev.gossip.pekko.DropReason;
import dev.gossip.pekko.NodeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Each collection at its limit passes the decoder; one more entry refuses the frame. */
class FrameLimitsTest {

  private static final ActorTestKit TESTKIT = ActorTestKit.create();
  private static final Codec CODEC = new Codec(TESTKIT.system().classicSystem(), 64 * 1024);
  private static final FrameLimits LIMITS =
      new FrameLimits(new NodeSettings.PeerLimits(1, Duration.ofSeconds(1), 1, 3, 4, 2, 3, 2));

  private static final NodeId A = new NodeId("10.0.0.1", 7000, 1);
  private static final NodeId B = new NodeId("10.0.0.2", 7000, 1);
  private static final MessageId ID = new MessageId(A, 1);

  @AfterAll
  static void stop() {
    TESTKIT.shutdownTestKit();
  }

  @Test
  void framesAtTheirLimitPass() throws Exception {
    List<Object> frames =
        List.of(
            new IHave(Collections.nCopies(3, new Announcement(ID, 1))),
            new IHave(List.of(new Announcement(ID, 1), announced(B, 2, 3).get(0))),
            new Shuffle(A, 2, Collections.nCopies(4, A)),
            new ShuffleReply(Collections.nCopies(4, A)),
            new Graft(ID.origin(), List.of(ID, ID)),
            new Digest(Collections.nCopies(3, origin(2)), true),
            new Ping(1));
    for (Object frame : frames) {
      assertEquals(List.of(frame), decode(frame), frame.toString());
    }
  }

  @Test
  void eachCollectionOverItsLimitIsRefused() {
    List<Object> over =
        List.of(
            new IHave(Collections.nCopies(4, new Announcement(ID, 1))),
            new IHave(append(announced(A, 1, 2), announced(B, 1, 2))),
            new Shuffle(A, 2, Collections.nCopies(5, A)),
            new ShuffleReply(Collections.nCopies(5, A)),
            new Graft(ID.origin(), List.of(ID, ID, ID)),
            new Digest(Collections.nCopies(4, origin(0)), false),
            new Digest(List.of(origin(0), origin(3)), false));
    for (Object frame : over) {
      FrameException e = assertThrows(FrameException.class, () -> decode(frame));
      assertEquals(DropReason.TOO_MANY_ENTRIES, e.reason(), frame.toString());
    }
  }

  @Test
  void anIdListIsRefusedByItsCountBeforeItsEntriesAreRead() {
    // An IHave of one origin whose count is over the limit and whose entries are malformed (each
    // delta 0, so sequence 0): the count refuses it before any entry is read.
    int ihaveCode = CODEC.encode(new IHave(announced(A, 1, 1))).apply(5);
    WireWriter out = new WireWriter(64);
    out.i32(0);
    out.u8(Codec.VERSION);
    out.u8(ihaveCode);
    out.varint(1);
    out.nodeId(A);
    out.varint(4);
    for (int i = 0; i < 4; i++) {
      out.varint(0);
      out.varint32(1);
    }
    out.i32At(0, out.size() - 4);
    ByteString frame = out.result();
    FrameException e =
        assertThrows(FrameException.class, () -> CODEC.newDecoder(LIMITS).feed(frame));
    assertEquals(DropReason.TOO_MANY_ENTRIES, e.reason(), e.getMessage());
  }

  private static List<Object> decode(Object frame) throws FrameException {
    return LIMITS.check(CODEC.newDecoder(LIMITS).feed(CODEC.encode(frame)));
  }

  private static List<Announcement> announced(NodeId origin, long first, long last) {
    List<Announcement> out = new ArrayList<>();
    for (long sequence = first; sequence <= last; sequence++) {
      out.add(new Announcement(new MessageId(origin, sequence), 1));
    }
    return out;
  }

  private static List<Announcement> append(List<Announcement> a, List<Announcement> b) {
    List<Announcement> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static OriginSummary origin(int gaps) {
    return new OriginSummary(
        A,
        100,
        IntStream.range(0, gaps).mapToObj(i -> new SequenceRange(2L * i + 1, 2L * i + 1)).toList());
  }
}
