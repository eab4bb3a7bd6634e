package dev.gossip.examples.networktest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The network test's messages, broadcast over the overlay of the two nodes.
 *
 * @param kind what the message asks or answers
 * @param seq a ping's or a bulk message's number
 * @param a a count (REPORT: messages received; BULK: how many the run sends)
 * @param b a second number (REPORT: bytes received; PING: send time, for the prober only)
 * @param text an address (HELLO) or a result (REVERSE)
 * @param padding extra bytes, so a BULK message has the size asked for
 */
record Probe(Kind kind, long seq, long a, long b, String text, int padding) {

  enum Kind {
    /** The prober is here; the server dials back to {@code text} to test that direction. */
    HELLO,
    /** The server's dial back: {@code text} is "ok" or why it failed. */
    REVERSE,
    PING,
    PONG,
    BULK,
    /** The server received {@code a} BULK messages, {@code b} bytes, in {@code seq} ns. */
    REPORT
  }

  static Probe of(Kind kind, long seq, long a, long b, String text) {
    return new Probe(kind, seq, a, b, text, 0);
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + padding);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(kind.ordinal());
      out.writeLong(seq);
      out.writeLong(a);
      out.writeLong(b);
      out.writeUTF(text);
      out.writeInt(padding);
      out.write(new byte[padding]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Probe decode(byte[] payload) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      int kind = in.readUnsignedByte();
      if (kind >= Kind.values().length) {
        throw new IllegalArgumentException("unknown probe kind " + kind);
      }
      return new Probe(
          Kind.values()[kind],
          in.readLong(),
          in.readLong(),
          in.readLong(),
          in.readUTF(),
          in.readInt());
    } catch (IOException e) {
      throw new IllegalArgumentException("not a network-test message", e);
    }
  }
}
