package dev.gossip.examples.akka;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;

/**
 * A payload as one line a terminal shows as it is. Payloads are opaque bytes (the chat's are a
 * binary encoding); printed raw, their control bytes would move the cursor, clear the screen or
 * change colours.
 */
final class Printable {

  /** Bytes of a binary payload shown; the rest is counted, not shown. */
  static final int MAX_BINARY_SHOWN = 256;

  private Printable() {}

  /**
   * UTF-8 text without control or formatting characters as itself; anything else as {@code binary
   * (N bytes): } then its bytes, printable ASCII as is and every other byte as {@code \xNN}.
   */
  static String of(byte[] payload) {
    try {
      String text = UTF_8.newDecoder().decode(ByteBuffer.wrap(payload)).toString();
      if (text.codePoints().noneMatch(Printable::movesTheTerminal)) {
        return text;
      }
    } catch (CharacterCodingException e) {
      // Not UTF-8: shown as bytes below.
    }
    StringBuilder shown = new StringBuilder("binary (" + payload.length + " bytes): ");
    int n = Math.min(payload.length, MAX_BINARY_SHOWN);
    for (int i = 0; i < n; i++) {
      int b = payload[i] & 0xff;
      if (b >= 0x20 && b < 0x7f && b != '\\') {
        shown.append((char) b);
      } else {
        shown.append(String.format("\\x%02x", b));
      }
    }
    return n < payload.length ? shown.append("...").toString() : shown.toString();
  }

  /** C0 and C1 controls, DEL, and format characters such as bidirectional overrides. */
  private static boolean movesTheTerminal(int codePoint) {
    int type = Character.getType(codePoint);
    return Character.isISOControl(codePoint)
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }
}
