package dev.gossip.bench.jmh;

import com.typesafe.config.ConfigFactory;
import dev.gossip.core.MessageId;
import dev.gossip.core.message.Gossip;
import dev.gossip.pekko.NodeSettings;
import dev.gossip.pekko.internal.wire.Codec;
import dev.gossip.pekko.internal.wire.FrameException;
import dev.gossip.pekko.internal.wire.FrameLimits;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.util.ByteString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** gossip-pekko's wire codec on a Gossip frame (the only frame that carries a payload). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CodecBenchmark {

  @Param({"256", "16384"})
  public int payloadSize;

  private ActorSystem system;
  private Codec codec;
  private Codec.Decoder decoder;
  private Gossip gossip;
  private ByteString frame;

  @Setup(Level.Trial)
  public void setUp() {
    system =
        ActorSystem.create(
            "codec",
            ConfigFactory.parseString("pekko.loglevel = WARNING")
                .withFallback(ConfigFactory.load()));
    codec = new Codec(system, 1 << 20);
    decoder =
        codec.newDecoder(
            new FrameLimits(
                NodeSettings.load(
                        ConfigFactory.parseString("gossip.preset = local")
                            .withFallback(ConfigFactory.load())
                            .resolve())
                    .transport()
                    .limits()));
    gossip =
        new Gossip(
            new MessageId(DisseminationBenchmark.node(7), 123_456), 3, new byte[payloadSize]);
    frame = codec.encode(gossip);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    system.terminate();
  }

  @Benchmark
  public ByteString encode() {
    return codec.encode(gossip);
  }

  @Benchmark
  public List<Object> decode() throws FrameException {
    return decoder.feed(frame);
  }
}
