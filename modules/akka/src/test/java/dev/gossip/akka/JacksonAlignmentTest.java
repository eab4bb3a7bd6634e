package dev.gossip.akka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.Versioned;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import com.fasterxml.jackson.module.scala.DefaultScalaModule;
import dev.gossip.akka.internal.wire.Hello;
import dev.gossip.core.NodeId;
import dev.gossip.core.message.Digest;
import dev.gossip.core.message.OriginSummary;
import dev.gossip.core.message.SequenceRange;
import dev.gossip.core.message.Shuffle;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * akka-serialization-jackson 2.6.21 works on the Jackson version the build aligns it on, not the
 * 2.11 it asks for (which cannot read Java records): every Jackson module on the classpath is that
 * version, and records round-trip through Akka's own CBOR serializer under the gossip-cbor binding.
 * The transformed CodecTest and every overlay test exercise the same serializer on every message.
 */
class JacksonAlignmentTest {

  private static final ActorTestKit TESTKIT = ActorTestKit.create();

  private static final NodeId A = new NodeId("127.0.0.1", 7001, 11);
  private static final NodeId B = new NodeId("10.0.0.2", 7002, 22);

  @AfterAll
  static void stop() {
    TESTKIT.shutdownTestKit();
  }

  @Test
  void everyJacksonModuleIsOnTheAlignedVersion() {
    String aligned = System.getProperty("jackson.version");
    List<Versioned> modules =
        List.of(
            new JsonFactory(),
            new ObjectMapper(),
            new CBORFactory(),
            new Jdk8Module(),
            new JavaTimeModule(),
            new ParameterNamesModule(),
            new DefaultScalaModule());
    for (Versioned module : modules) {
      assertEquals(aligned, module.version().toString(), module.getClass().getName());
    }
  }

  @Test
  void recordsRoundTripThroughAkkasCborSerializer() {
    Serialization serialization = SerializationExtension.get(TESTKIT.system().classicSystem());
    List<Object> records =
        List.of(
            new Hello(A),
            new Shuffle(A, 6, List.of(A, B)),
            new Digest(List.of(new OriginSummary(A, 9, List.of(new SequenceRange(2, 4)))), true));
    for (Object record : records) {
      Serializer serializer = serialization.findSerializerFor(record);
      assertEquals(
          "akka.serialization.jackson.JacksonCborSerializer", serializer.getClass().getName());
      assertEquals(731700, serializer.identifier());
      byte[] bytes = serialization.serialize(record).get();
      Object back =
          serialization
              .deserialize(
                  bytes, serializer.identifier(), Serializers.manifestFor(serializer, record))
              .get();
      assertEquals(record, back);
    }
  }
}
