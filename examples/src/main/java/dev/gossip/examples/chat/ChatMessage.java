package dev.gossip.examples.chat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a chat broadcast carries: the sender's name and wall-clock send time (so a receiver can show
 * the latency) and, for a {@link Kind#TEXT}, the line typed. The gossip payload is opaque bytes;
 * this is the chat's own encoding of them.
 *
 * @param kind what the message is for
 * @param name the sender's chat name
 * @param sentAtMillis the sender's wall clock when it broadcast, ms since the epoch
 * @param text the line typed, empty for presence messages
 */
record ChatMessage(Kind kind, String name, long sentAtMillis, String text) {

  enum Kind {
    /** A line someone typed. */
    TEXT,
    /** A newcomer announces its name; every member that did not know it answers with HERE. */
    HELLO,
    /** The answer to a HELLO, so the newcomer learns the names already present. */
    HERE
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(kind.ordinal());
      out.writeUTF(name);
      out.writeLong(sentAtMillis);
      out.writeUTF(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes a payload; an unreadable one (not from this chat) raises IllegalArgumentException. */
  static ChatMessage decode(byte[] payload) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      int kind = in.readUnsignedByte();
      if (kind >= Kind.values().length) {
        throw new IllegalArgumentException("unknown chat message kind " + kind);
      }
      return new ChatMessage(Kind.values()[kind], in.readUTF(), in.readLong(), in.readUTF());
    } catch (IOException e) {
      throw new IllegalArgumentException("not a chat message", e);
    }
  }
}
