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
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FrameLimitsTest {

  private static final FrameLimits LIMITS =
      new FrameLimits(new NodeSettings.PeerLimits(1, Duration.ofSeconds(1), 1, 3, 4, 2, 3, 2));

  private static final NodeId A = new NodeId("10.0.0.1", 7000, 1);
  private static final MessageId ID = new MessageId(A, 1);

  @Test
  void framesAtTheirLimitPass() throws Exception {
    List<Object> frames =
        List.of(
            new IHave(Collections.nCopies(3, new Announcement(ID, 1))),
            new Shuffle(A, 2, Collections.nCopies(4, A)),
            new ShuffleReply(Collections.nCopies(4, A)),
            new Graft(ID.origin(), List.of(ID, ID)),
            new Digest(Collections.nCopies(3, origin(2)), true),
            new Ping(1));
    assertEquals(frames, LIMITS.check(frames));
  }

  @Test
  void eachCollectionOverItsLimitIsRefused() {
    List<Object> over =
        List.of(
            new IHave(Collections.nCopies(4, new Announcement(ID, 1))),
            new Shuffle(A, 2, Collections.nCopies(5, A)),
            new ShuffleReply(Collections.nCopies(5, A)),
            new Graft(ID.origin(), List.of(ID, ID, ID)),
            new Digest(Collections.nCopies(4, origin(0)), false),
            new Digest(List.of(origin(0), origin(3)), false));
    for (Object frame : over) {
      FrameException e = assertThrows(FrameException.class, () -> LIMITS.check(frame));
      assertEquals(DropReason.TOO_MANY_ENTRIES, e.reason(), frame.toString());
    }
  }

  private static OriginSummary origin(int gaps) {
    return new OriginSummary(
        A,
        100,
        IntStream.range(0, gaps).mapToObj(i -> new SequenceRange(2L * i + 1, 2L * i + 1)).toList());
  }
}
