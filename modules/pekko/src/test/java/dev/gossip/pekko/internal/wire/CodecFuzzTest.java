package dev.gossip.pekko.internal.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import dev.gossip.core.DownReason;
import dev.gossip.core.LinkFailed;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.Outbox;
import dev.gossip.core.ProtocolNode;
import dev.gossip.core.Received;
import dev.gossip.core.Schedule;
import dev.gossip.core.Start;
import dev.gossip.core.Timer;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.message.Ack;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.Digest;
import dev.gossip.core.message.Disconnect;
import dev.gossip.core.message.ForwardJoin;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Graft;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.Join;
import dev.gossip.core.message.Message;
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
import dev.gossip.pekko.NodeSettings;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the inbound path as a link runs it: hostile bytes ({@link FrameMutator}) in
 * random chunks through {@link Codec.Decoder#feed} and {@link FrameLimits#check}, and every frame
 * that decodes into a core {@link ProtocolNode} as a message from the link's peer. The only
 * exception the decoder may throw is a {@link FrameException} (a typed drop reason), nothing may
 * escape the protocol, and one feed allocates at most {@link #ALLOCATION_BOUND} bytes.
 *
 * <p>Run it with another seed or length: {@code -Dgossip.fuzz.seed=N -Dgossip.fuzz.frames=N}.
 */
class CodecFuzzTest {

  private static final long SEED = Long.getLong("gossip.fuzz.seed", 20_261_125L);
  private static final int FRAMES = Integer.getInteger("gossip.fuzz.frames", 1_000_000);
  private static final int MAX_FRAME_SIZE = 64 * 1024;

  /**
   * Bytes one feed may allocate. A feed decodes at most one buffered partial frame plus one chunk
   * (chunks are cut to at most a frame): the copies of those bytes, and the decoded objects, which
   * CBOR packs at a few bytes per field while Java spends 16-24 bytes per object and reference.
   * Sixteen times the frame size covers that with room; a decoder that believed a declared size (a
   * CBOR head claiming 2^64 entries) would allocate far more or fail with OutOfMemoryError.
   */
  private static final long ALLOCATION_BOUND = 8L * MAX_FRAME_SIZE + 64 * 1024;

  private static final ActorTestKit TESTKIT = ActorTestKit.create();

  private static final NodeId SELF = new NodeId("10.0.0.1", 7000, 1);
  private static final List<NodeId> PEERS =
      IntStream.range(2, 8).mapToObj(i -> new NodeId("10.0.0." + i, 7000, i)).toList();

  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final NodeSettings settings =
      NodeSettings.load(
          ConfigFactory.parseString(
                  "gossip.preset = local\n"
                      + "gossip.transport.max-frame-size = 64 KiB\n"
                      + "gossip.transport.max-ihave-ids-per-frame = 256")
              .withFallback(ConfigFactory.defaultReference())
              .resolve());
  private final Codec codec = new Codec(TESTKIT.system().classicSystem(), MAX_FRAME_SIZE);
  private final FrameLimits limits = new FrameLimits(settings.transport().limits());
  private final SplittableRandom random = new SplittableRandom(SEED);
  private final ProtocolNode node = new ProtocolNode(SELF, settings.protocol(), random.split());
  private final Map<Timer, Long> timers = new LinkedHashMap<>();

  /** The protocol's clock: nanoseconds, advanced a little after every link. */
  private long now;

  private final Outbox outbox =
      o -> {
        if (o instanceof Schedule s) {
          timers.remove(s.timer());
          timers.put(s.timer(), now + s.delay().toNanos());
        }
      };
  private final List<byte[]> hellos =
      PEERS.stream().map(p -> codec.encode(new Hello(p)).toArray()).toList();
  private final Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
  private long decoded;
  private long maxAllocated;

  @AfterAll
  static void stop() {
    TESTKIT.shutdownTestKit();
  }

  @Test
  void hostileFramesOnlyEverRaiseTypedDropsAndStayWithinTheFrameSize() throws Exception {
    assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM counts thread allocation");
    List<byte[]> samples = samples();
    for (byte[] sample : samples) {
      // Warm up: the first decode of each type builds Jackson's deserializers once per codec.
      try {
        codec.newDecoder(limits).feed(ByteString.fromArray(sample));
      } catch (FrameException overALimit) {
        // the samples over a limit are refused as they decode
      }
    }
    FrameMutator mutator = new FrameMutator(random.split(), samples, MAX_FRAME_SIZE);
    node.handle(Start.INSTANCE, now, outbox);
    long started = System.nanoTime();
    long startedCpu = threads.getCurrentThreadCpuTime();
    long fuzzed = 0;
    long cases = 0;
    while (fuzzed < FRAMES) {
      FrameMutator.Case c = mutator.next();
      link(cases, hello(), c.bytes());
      fuzzed += c.fuzzedFrames();
      cases++;
    }
    System.out.printf(
        "codec fuzz: seed %d, %d fuzzed frames in %d links, %d frames decoded, drops %s,"
            + " most allocated by one feed %d bytes (bound %d), %.1f s (%.1f s of CPU)%n",
        SEED,
        fuzzed,
        cases,
        decoded,
        drops,
        maxAllocated,
        ALLOCATION_BOUND,
        (System.nanoTime() - started) / 1e9,
        (threads.getCurrentThreadCpuTime() - startedCpu) / 1e9);
  }

  /** The Hello a link opens with: a peer's, mostly intact, sometimes mutated or missing. */
  private byte[] hello() {
    int pick = random.nextInt(10);
    if (pick == 0) {
      return new byte[0];
    }
    byte[] hello = hellos.get(random.nextInt(hellos.size())).clone();
    if (pick == 1) {
      hello[6 + random.nextInt(hello.length - 6)] ^= (byte) (1 << random.nextInt(8));
    }
    return hello;
  }

  /** One hostile link: its bytes in random chunks, until they end or a frame is refused. */
  private void link(long index, byte[] hello, byte[] bytes) {
    byte[] all = new byte[hello.length + bytes.length];
    System.arraycopy(hello, 0, all, 0, hello.length);
    System.arraycopy(bytes, 0, all, hello.length, bytes.length);
    Codec.Decoder decoder = codec.newDecoder(limits);
    NodeId peer = null;
    List<Integer> chunks = new ArrayList<>();
    int at = 0;
    while (at < all.length) {
      int chunk =
          Math.min(all.length - at, 1 + random.nextInt(Math.min(all.length, MAX_FRAME_SIZE)));
      ByteString bytesIn = ByteString.fromArray(all, at, chunk);
      at += chunk;
      List<Object> frames = List.of();
      FrameException refused = null;
      long before = threads.getCurrentThreadAllocatedBytes();
      try {
        frames = limits.check(decoder.feed(bytesIn));
      } catch (FrameException e) {
        refused = e;
      } catch (Throwable t) {
        throw new AssertionError(where(index) + ": the decoder threw " + t, t);
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      if (allocated > 2 * MAX_FRAME_SIZE) {
        // A path taken for the first time loads classes and builds deserializers once per JVM:
        // what counts is what the same bytes cost again.
        allocated = replay(all, chunks, chunk);
      }
      maxAllocated = Math.max(maxAllocated, allocated);
      if (allocated > ALLOCATION_BOUND) {
        fail(where(index) + ": one feed allocated " + allocated + " bytes");
      }
      chunks.add(chunk);
      if (refused != null) {
        drops.merge(refused.reason(), 1L, Long::sum);
        closed(peer);
        return;
      }
      for (Object frame : frames) {
        decoded++;
        if (frame instanceof Hello h) {
          // As the link manager does: the first frame names the peer, any other Hello is refused.
          if (peer != null || h.node().equals(SELF)) {
            closed(peer);
            return;
          }
          peer = h.node();
        } else if (peer == null) {
          return;
        } else {
          protocol(index, new Received(peer, (Message) frame));
        }
      }
    }
    closed(peer);
  }

  /**
   * Feeds a fresh decoder the chunks fed before, then measures what {@code next} more bytes
   * allocate.
   */
  private long replay(byte[] all, List<Integer> chunks, int next) {
    Codec.Decoder decoder = codec.newDecoder(limits);
    int at = 0;
    try {
      for (int chunk : chunks) {
        decoder.feed(ByteString.fromArray(all, at, chunk));
        at += chunk;
      }
    } catch (FrameException e) {
      throw new AssertionError("a replay refused what was taken before", e);
    }
    ByteString bytes = ByteString.fromArray(all, at, next);
    long before = threads.getCurrentThreadAllocatedBytes();
    try {
      limits.check(decoder.feed(bytes));
    } catch (FrameException expected) {
      // measured either way
    }
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  /** The link is gone: the protocol hears of it as the link manager would tell it. */
  private void closed(NodeId peer) {
    if (peer != null) {
      protocol(-1, new LinkFailed(peer, DownReason.CONNECTION_LOST));
    }
    now += random.nextLong(5_000_000L);
    List<Timer> due = new ArrayList<>();
    timers.forEach(
        (timer, at) -> {
          if (at <= now) {
            due.add(timer);
          }
        });
    for (Timer timer : due) {
      timers.remove(timer);
      protocol(-1, new TimerExpired(timer));
    }
  }

  private void protocol(long index, dev.gossip.core.Input input) {
    try {
      node.handle(input, now, outbox);
    } catch (Throwable t) {
      throw new AssertionError(where(index) + ": the protocol threw on " + input + ": " + t, t);
    }
  }

  private static String where(long index) {
    return "seed " + SEED + ", link " + index;
  }

  /** Valid frames of every wire type, small and large, as the codec encodes them. */
  private List<byte[]> samples() {
    NodeId origin = PEERS.get(0);
    MessageId id = new MessageId(origin, 7);
    List<Object> messages = new ArrayList<>();
    for (NodeId peer : PEERS) {
      messages.add(new Hello(peer));
      messages.add(new ForwardJoin(peer, 3));
      messages.add(new Shuffle(peer, 4, PEERS));
    }
    messages.addAll(
        List.of(
            new Join(),
            new ForwardJoin(SELF, 0),
            new Neighbor(true),
            new Neighbor(false),
            new NeighborReply(true),
            new Disconnect(false),
            new Disconnect(true),
            new Shuffle(origin, 0, List.of()),
            new ShuffleReply(PEERS),
            // Over max-shuffle-entries-per-frame.
            new ShuffleReply(Collections.nCopies(65, SELF)),
            new Prune(origin),
            new Ack(id),
            new Graft(SELF, List.of()),
            new Graft(SELF, List.of(new MessageId(SELF, 1), new MessageId(SELF, 9))),
            new Ping(42),
            new Pong(-1)));
    for (int size : new int[] {0, 1, 256, 4096, 60 * 1024}) {
      byte[] payload = new byte[size];
      random.nextBytes(payload);
      messages.add(new Gossip(new MessageId(origin, size + 1L), 1 + size % 7, payload));
      messages.add(new Gossip(new MessageId(origin, size + 2L), 1, payload, true));
      messages.add(new Gossip(new MessageId(origin, 1), 2, payload, size % 2 == 0, SELF));
      messages.add(new Recovered(new MessageId(SELF, size + 1L), 2, payload));
    }
    // 257 announcements are over this test's max-ihave-ids-per-frame.
    for (int n : new int[] {1, 16, 256, 257}) {
      messages.add(
          new IHave(
              IntStream.range(0, n)
                  .mapToObj(i -> new Announcement(new MessageId(origin, i + 1L), i % 9))
                  .toList()));
      messages.add(
          new Digest(
              PEERS.subList(0, Math.min(n, PEERS.size())).stream()
                  .map(
                      p ->
                          new OriginSummary(
                              p,
                              4L * n + 10,
                              IntStream.range(0, Math.min(n, 64))
                                  .mapToObj(i -> new SequenceRange(4L * i + 1, 4L * i + 2))
                                  .toList()))
                  .toList(),
              n % 2 == 0));
    }
    List<byte[]> samples = new ArrayList<>();
    for (Object m : messages) {
      ByteString frame = codec.encode(m);
      assertTrue(frame.size() <= MAX_FRAME_SIZE, m + " fits a frame");
      samples.add(frame.toArray());
    }
    return samples;
  }
}
