package dev.gossip.pekko.internal.wire;

import dev.gossip.core.NodeId;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The node ids a link's decoder has read recently, so that an origin seen again is the same {@link
 * NodeId} instance: its host string's hash is already cached and equality is a reference check.
 * Direct-mapped by a hash of the encoded id, a fixed number of entries: a peer cannot grow it. One
 * per {@link Codec.Decoder}, used by one thread at a time.
 */
final class OriginCache {

  private static final int SIZE = 64;

  private final byte[] host = new byte[WireWriter.MAX_HOST_BYTES];
  private final byte[][] hosts = new byte[SIZE][];
  private final NodeId[] ids = new NodeId[SIZE];

  /** Reads a node id written by {@link WireWriter#nodeId}. */
  NodeId read(WireReader in) throws FrameException {
    int length = in.u8();
    if (length == 0) {
      throw WireReader.malformed("empty host");
    }
    in.bytes(host, length);
    int port = in.u16();
    long incarnation = in.varint();
    int hash = port * 31 + Long.hashCode(incarnation);
    for (int i = 0; i < length; i++) {
      hash = hash * 31 + host[i];
    }
    int slot = (hash ^ hash >>> 16) & (SIZE - 1);
    NodeId cached = ids[slot];
    if (cached != null
        && cached.port() == port
        && cached.incarnation() == incarnation
        && Arrays.equals(hosts[slot], 0, hosts[slot].length, host, 0, length)) {
      return cached;
    }
    NodeId id;
    try {
      String name =
          StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(host, 0, length)).toString();
      id = new NodeId(name, port, incarnation);
    } catch (CharacterCodingException | IllegalArgumentException e) {
      throw WireReader.malformed("bad node id: " + e.getMessage());
    }
    hosts[slot] = Arrays.copyOf(host, length);
    ids[slot] = id;
    return id;
  }
}
