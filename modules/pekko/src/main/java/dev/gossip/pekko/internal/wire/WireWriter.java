package dev.gossip.pekko.internal.wire;

import dev.gossip.core.NodeId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.pekko.util.ByteString;

/** A growable byte array the binary bodies are written into (see {@link PlumtreeBodies}). */
final class WireWriter {

  /** A host is written with a 1-byte length. */
  static final int MAX_HOST_BYTES = 255;

  private byte[] bytes;
  private int size;

  WireWriter(int capacity) {
    bytes = new byte[capacity];
  }

  void u8(int value) {
    ensure(1);
    bytes[size++] = (byte) value;
  }

  void u16(int value) {
    ensure(2);
    bytes[size++] = (byte) (value >>> 8);
    bytes[size++] = (byte) value;
  }

  void i32(int value) {
    ensure(4);
    size += 4;
    i32At(size - 4, value);
  }

  /** Overwrites 4 bytes already written, big-endian. */
  void i32At(int offset, int value) {
    bytes[offset] = (byte) (value >>> 24);
    bytes[offset + 1] = (byte) (value >>> 16);
    bytes[offset + 2] = (byte) (value >>> 8);
    bytes[offset + 3] = (byte) value;
  }

  int size() {
    return size;
  }

  void i64(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes[size++] = (byte) (value >>> shift);
    }
  }

  /** Unsigned LEB128: 7 bits a byte, low bits first, the high bit set on all but the last. */
  void varint(long value) {
    ensure(10);
    while ((value & ~0x7fL) != 0) {
      bytes[size++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    bytes[size++] = (byte) value;
  }

  /** An int as an unsigned 32-bit varint (1 to 5 bytes), so any int round-trips. */
  void varint32(int value) {
    varint(value & 0xffff_ffffL);
  }

  /** Host as 1-byte length and UTF-8, port as u16, incarnation as varint. */
  void nodeId(NodeId node) {
    byte[] host = node.host().getBytes(StandardCharsets.UTF_8);
    if (host.length > MAX_HOST_BYTES) {
      throw new IllegalArgumentException(
          "host of " + host.length + " UTF-8 bytes, at most " + MAX_HOST_BYTES + ": " + node);
    }
    u8(host.length);
    ensure(host.length);
    System.arraycopy(host, 0, bytes, size, host.length);
    size += host.length;
    u16(node.port());
    varint(node.incarnation());
  }

  /** The bytes written so far, shared with this writer's array (which must not be used again). */
  ByteString result() {
    return ByteString.fromArrayUnsafe(bytes, 0, size);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
