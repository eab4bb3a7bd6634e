package dev.gossip.pekko.internal.wire;

import dev.gossip.core.NodeId;
import dev.gossip.pekko.DropReason;
import org.apache.pekko.util.ByteIterator;
import org.apache.pekko.util.ByteString;

/**
 * A bounds-checked cursor over one frame's binary body: every read checks the bytes remaining
 * first, every count is checked against them before anything is allocated, varints have a length
 * limit, and any violation is a MALFORMED {@link FrameException}.
 */
final class WireReader {

  private final ByteIterator bytes;
  private final OriginCache origins;
  private int remaining;

  WireReader(ByteString body, OriginCache origins) {
    this.bytes = body.iterator();
    this.origins = origins;
    this.remaining = body.size();
  }

  int remaining() {
    return remaining;
  }

  int u8() throws FrameException {
    need(1);
    return bytes.getByte() & 0xff;
  }

  int u16() throws FrameException {
    need(2);
    return (bytes.getByte() & 0xff) << 8 | (bytes.getByte() & 0xff);
  }

  long i64() throws FrameException {
    need(8);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = value << 8 | (bytes.getByte() & 0xff);
    }
    return value;
  }

  /** An unsigned LEB128 of at most 10 bytes (64 bits). */
  long varint() throws FrameException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = u8();
      if (shift == 63 && b > 1) {
        throw malformed("varint beyond 64 bits");
      }
      value |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        return value;
      }
    }
    throw malformed("varint longer than 10 bytes");
  }

  /** An unsigned varint of at most 32 bits, as an int. */
  int varint32() throws FrameException {
    long value = varint();
    if (value >>> 32 != 0) {
      throw malformed("varint beyond 32 bits");
    }
    return (int) value;
  }

  /**
   * A count of items each taking at least {@code minBytes}: refused before anything is allocated if
   * the rest of the frame cannot hold them.
   */
  int count(int minBytes) throws FrameException {
    long n = varint();
    if (n < 0 || n > remaining / minBytes) {
      throw malformed("count " + Long.toUnsignedString(n) + " beyond the frame");
    }
    return (int) n;
  }

  /** Reads {@code n} bytes into {@code into} from offset 0. */
  void bytes(byte[] into, int n) throws FrameException {
    need(n);
    bytes.getBytes(into, 0, n);
  }

  /** The rest of the frame, copied once. */
  byte[] rest() {
    byte[] out = new byte[remaining];
    bytes.getBytes(out, 0, remaining);
    remaining = 0;
    return out;
  }

  NodeId nodeId() throws FrameException {
    return origins.read(this);
  }

  /** Refuses bytes left after the body. */
  void end() throws FrameException {
    if (remaining != 0) {
      throw malformed(remaining + " bytes after the body");
    }
  }

  static FrameException malformed(String detail) {
    return new FrameException(DropReason.MALFORMED, detail);
  }

  private void need(int n) throws FrameException {
    if (n > remaining) {
      throw malformed("body ends " + (n - remaining) + " bytes early");
    }
    remaining -= n;
  }
}
