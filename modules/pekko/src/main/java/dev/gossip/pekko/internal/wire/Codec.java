package dev.gossip.pekko.internal.wire;

import dev.gossip.core.message.Ack;
import dev.gossip.core.message.Digest;
import dev.gossip.core.message.Disconnect;
import dev.gossip.core.message.ForwardJoin;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Graft;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.Join;
import dev.gossip.core.message.Neighbor;
import dev.gossip.core.message.NeighborReply;
import dev.gossip.core.message.Ping;
import dev.gossip.core.message.Pong;
import dev.gossip.core.message.Prune;
import dev.gossip.core.message.Recovered;
import dev.gossip.core.message.Shuffle;
import dev.gossip.core.message.ShuffleReply;
import dev.gossip.pekko.DropReason;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * The wire format. A frame is a 4-byte big-endian length N, then N bytes: a version byte, a type
 * code, and the body. The data path's bodies (Gossip, Recovered, IHave, Graft, Prune, Ack, Ping,
 * Pong) are hand-written binary ({@link PlumtreeBodies}), Gossip and Recovered ending with the
 * user's payload bytes as they are, so a payload is never re-encoded; the rare control messages and
 * the {@link Hello} are CBOR written by pekko-serialization-jackson (the {@code gossip-cbor}
 * binding in reference.conf). Thread-safe: one instance per node, shared by the role actors and the
 * link streams.
 */
public final class Codec {

  public static final byte VERSION = 4;

  /**
   * A Gossip that asks for an {@link Ack}, or names a template (an origin's first broadcasts), has
   * a type code of its own, so the frames of the rest carry no flag.
   */
  private static final int GOSSIP_ACK_REQUESTED = 15;

  private static final int GOSSIP_TEMPLATE = 17;
  private static final int GOSSIP_TEMPLATE_ACK_REQUESTED = 18;

  private static final Map<Class<?>, Integer> CODES = new HashMap<>();
  private static final Map<Integer, Class<?>> CLASSES = new HashMap<>();

  static {
    register(0, Hello.class);
    register(1, Join.class);
    register(2, ForwardJoin.class);
    register(3, Neighbor.class);
    register(4, NeighborReply.class);
    register(5, Disconnect.class);
    register(6, Shuffle.class);
    register(7, ShuffleReply.class);
    register(10, Gossip.class);
    register(11, IHave.class);
    register(12, Graft.class);
    register(13, Prune.class);
    register(14, Recovered.class);
    register(16, Ack.class);
    CLASSES.put(GOSSIP_ACK_REQUESTED, Gossip.class);
    CLASSES.put(GOSSIP_TEMPLATE, Gossip.class);
    CLASSES.put(GOSSIP_TEMPLATE_ACK_REQUESTED, Gossip.class);
    register(20, Digest.class);
    register(30, Ping.class);
    register(31, Pong.class);
  }

  private static void register(int code, Class<?> type) {
    CODES.put(type, code);
    CLASSES.put(code, type);
  }

  private final Serialization serialization;
  private final int maxFrameSize;

  public Codec(ActorSystem system, int maxFrameSize) {
    this.serialization = SerializationExtension.get(system);
    this.maxFrameSize = maxFrameSize;
  }

  public int maxFrameSize() {
    return maxFrameSize;
  }

  /**
   * Encodes a message or a {@link Hello} into a whole frame, length prefix included. A caller that
   * sends one message to several peers encodes it once and shares the returned bytes.
   */
  public ByteString encode(Object message) {
    Integer code = message instanceof Gossip g ? gossipCode(g) : CODES.get(message.getClass());
    if (code == null) {
      throw new IllegalArgumentException("no wire type for " + message.getClass().getName());
    }
    if (PlumtreeBodies.handles(message.getClass())) {
      return encodeBinary(code, message);
    }
    ByteString body = ByteString.fromArrayUnsafe(toBinary(message));
    ByteStringBuilder prefix = new ByteStringBuilder();
    prefix.putInt(2 + body.size(), ByteOrder.BIG_ENDIAN);
    prefix.putByte(VERSION);
    prefix.putByte((byte) (int) code);
    return prefix.result().concat(body);
  }

  private static int gossipCode(Gossip g) {
    if (g.template() == null) {
      return g.ackRequested() ? GOSSIP_ACK_REQUESTED : CODES.get(Gossip.class);
    }
    return g.ackRequested() ? GOSSIP_TEMPLATE_ACK_REQUESTED : GOSSIP_TEMPLATE;
  }

  private static ByteString encodeBinary(int code, Object message) {
    WireWriter out = new WireWriter(64);
    out.i32(0);
    out.u8(VERSION);
    out.u8(code);
    byte[] payload = PlumtreeBodies.write(message, out);
    int tail = payload == null ? 0 : payload.length;
    out.i32At(0, out.size() - 4 + tail);
    ByteString head = out.result();
    return payload == null ? head : head.concat(ByteString.fromArrayUnsafe(payload));
  }

  private byte[] toBinary(Object value) {
    try {
      return serialization.serializerFor(value.getClass()).toBinary(value);
    } catch (java.io.NotSerializableException e) {
      throw new IllegalStateException("the gossip-cbor binding is missing for " + value, e);
    }
  }

  /**
   * A decoder for one link: it keeps the bytes of an incomplete frame between chunks, and holds the
   * id lists of IHave and Graft to {@code limits} as it reads them.
   */
  public Decoder newDecoder(FrameLimits limits) {
    return new Decoder(limits);
  }

  /** Incremental frame decoder; a refused frame throws and the link must be closed. */
  public final class Decoder {
    private ByteString buffer = ByteString.emptyByteString();
    private final OriginCache origins = new OriginCache();
    private final FrameLimits limits;

    private Decoder(FrameLimits limits) {
      this.limits = limits;
    }

    /** Feeds received bytes; returns the messages (and Hellos) of every frame now complete. */
    public List<Object> feed(ByteString chunk) throws FrameException {
      buffer = buffer.concat(chunk);
      List<Object> out = new ArrayList<>(2);
      while (buffer.size() >= 4) {
        int length =
            (buffer.apply(0) & 0xff) << 24
                | (buffer.apply(1) & 0xff) << 16
                | (buffer.apply(2) & 0xff) << 8
                | (buffer.apply(3) & 0xff);
        // Checked before buffering the body: an oversize length never costs memory.
        if (length < 0 || length > maxFrameSize) {
          throw new FrameException(
              DropReason.OVERSIZE,
              "frame of " + Integer.toUnsignedString(length) + " bytes, limit " + maxFrameSize);
        }
        if (length < 2) {
          throw new FrameException(DropReason.MALFORMED, "frame of " + length + " bytes");
        }
        if (buffer.size() < 4 + length) {
          break;
        }
        ByteString frame = buffer.slice(4, 4 + length);
        buffer = buffer.drop(4 + length);
        out.add(decodeFrame(frame, origins, limits));
      }
      return out;
    }
  }

  private Object decodeFrame(ByteString frame, OriginCache origins, FrameLimits limits)
      throws FrameException {
    int version = frame.apply(0) & 0xff;
    if (version != VERSION) {
      throw new FrameException(
          DropReason.WRONG_VERSION, "version " + version + ", expected " + VERSION);
    }
    int code = frame.apply(1) & 0xff;
    Class<?> type = CLASSES.get(code);
    if (type == null) {
      throw new FrameException(DropReason.UNKNOWN_TYPE, "type code " + code);
    }
    ByteString body = frame.drop(2);
    try {
      if (PlumtreeBodies.handles(type)) {
        return PlumtreeBodies.read(
            type,
            code == GOSSIP_ACK_REQUESTED || code == GOSSIP_TEMPLATE_ACK_REQUESTED,
            code == GOSSIP_TEMPLATE || code == GOSSIP_TEMPLATE_ACK_REQUESTED,
            new WireReader(body, origins),
            limits);
      }
      Object decoded = fromBinary(body.toArray(), type);
      if (decoded == null) {
        throw new FrameException(DropReason.MALFORMED, "empty " + type.getSimpleName());
      }
      return decoded;
    } catch (FrameException e) {
      throw e;
    } catch (Exception | StackOverflowError e) {
      throw new FrameException(
          DropReason.MALFORMED, "bad " + type.getSimpleName() + " body: " + e.getMessage(), e);
    }
  }

  private <T> T fromBinary(byte[] bytes, Class<T> type) throws java.io.NotSerializableException {
    Serializer serializer = serialization.serializerFor(type);
    Object value =
        serializer instanceof SerializerWithStringManifest s
            ? s.fromBinary(bytes, type.getName())
            : serializer.fromBinary(bytes, type);
    return type.cast(value);
  }
}
