package dev.gossip.pekko.internal.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.NodeId;
import dev.gossip.pekko.LinkFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The outbound side of the fault layer: what a delayed link does to a run of frames. */
class FaultStageTest {

  private static final ActorTestKit TESTKIT = ActorTestKit.create();
  private static final NodeId SELF = new NodeId("127.0.0.1", 1, 1);
  private static final NodeId PEER = new NodeId("127.0.0.1", 2, 1);
  private static final long DELAY = Duration.ofMillis(200).toNanos();

  @AfterAll
  static void stop() {
    TESTKIT.shutdownTestKit();
  }

  /** Delays every frame to the peer by {@link #DELAY}. */
  private static final LinkFaults DELAYED = (self, peer) -> DELAY;

  @Test
  void framesSentTogetherOnADelayedLinkArriveTogetherAndInOrder() throws Exception {
    // A long link holds many frames in flight: 50 frames on a 200 ms link take 200 ms, not 10 s.
    List<ByteString> frames = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      frames.add(ByteString.fromArray(new byte[] {(byte) i}));
    }
    long start = System.nanoTime();
    List<ByteString> received =
        Source.from(frames)
            .via(FaultStage.outbound(DELAYED, SELF, () -> PEER, TESTKIT.system()))
            .toMat(Sink.seq(), Keep.right())
            .run(TESTKIT.system())
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    long elapsed = System.nanoTime() - start;
    assertEquals(frames, received);
    assertTrue(elapsed >= DELAY, "each frame was held back");
    // One at a time they would take 50 delays; overlapping, one delay plus scheduling.
    assertTrue(
        elapsed < 10 * DELAY, "frames waited for each other: " + elapsed / 1_000_000 + " ms");
  }
}
