package dev.gossip.pekko.internal.fault;

import dev.gossip.core.NodeId;
import dev.gossip.pekko.LinkFaults;
import dev.gossip.pekko.internal.wire.Hello;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * A {@link LinkFaults} stage as a layer of a connection's stream, between the link queue and the
 * socket on the way out and between the decoder and the roles on the way in, so that the link
 * manager and the role actors know nothing of it. Outbound, each frame is passed, dropped or held
 * back as the stage says; a held frame holds back the frames after it (frames to one peer keep
 * their order, as on TCP). Inbound, the frames the stage refuses are dropped; the Hello always
 * passes. Connections it refuses are the link manager's business (it dials and accepts).
 */
public final class FaultStage {

  private FaultStage() {}

  /**
   * Frames one connection may hold back at once. Each frame's release time is fixed when it enters
   * the stage, so the delays of consecutive frames overlap as on a long link; with room for one
   * frame only, each would wait for the one before it and a 150 ms link would carry 7 frames a
   * second. Beyond this many, the stage backpressures the link queue.
   */
  static final int MAX_HELD_FRAMES = 4_096;

  /**
   * The layer for one connection of {@code self}; {@code peer} gives the peer once known (the
   * address dialed before the Hello), null while it is not.
   */
  public static BidiFlow<ByteString, ByteString, List<Object>, List<Object>, NotUsed> layer(
      LinkFaults faults, NodeId self, Supplier<NodeId> peer, ActorSystem<?> system) {
    return BidiFlow.fromFlows(outbound(faults, self, peer, system), inbound(faults, self, peer));
  }

  // The operators' functions are Pekko's serializable ones, never serialized.
  @SuppressWarnings("serial")
  static Flow<ByteString, ByteString, NotUsed> outbound(
      LinkFaults faults, NodeId self, Supplier<NodeId> peer, ActorSystem<?> system) {
    long[] heldUntil = {0};
    return Flow.<ByteString>create()
        .map(
            frame -> {
              NodeId to = peer.get();
              long verdict = to == null ? LinkFaults.PASS : faults.outbound(self, to);
              if (verdict == LinkFaults.DROP) {
                return new Held(0, null);
              }
              long now = System.nanoTime();
              heldUntil[0] = Math.max(heldUntil[0], verdict > 0 ? now + verdict : now);
              return new Held(heldUntil[0], frame);
            })
        .mapAsync(MAX_HELD_FRAMES, held -> release(held, system))
        .filter(held -> held.frame() != null)
        .map(Held::frame);
  }

  /** A frame and when it may go (System.nanoTime); a null frame was dropped. */
  private record Held(long until, ByteString frame) {}

  private static CompletionStage<Held> release(Held held, ActorSystem<?> system) {
    long wait = held.until() - System.nanoTime();
    if (held.frame() == null || wait <= 0) {
      return CompletableFuture.completedFuture(held);
    }
    return Patterns.after(
        Duration.ofNanos(wait),
        system.classicSystem().scheduler(),
        system.executionContext(),
        () -> CompletableFuture.completedFuture(held));
  }

  private static Flow<List<Object>, List<Object>, NotUsed> inbound(
      LinkFaults faults, NodeId self, Supplier<NodeId> peer) {
    return Flow.<List<Object>>create()
        .map(
            frames -> {
              NodeId from = peer.get();
              List<Object> passed = new ArrayList<>(frames.size());
              for (Object frame : frames) {
                if (frame instanceof Hello hello) {
                  from = hello.node();
                  passed.add(frame);
                } else if (from == null || faults.inbound(self, from)) {
                  passed.add(frame);
                }
              }
              return passed;
            });
  }
}
