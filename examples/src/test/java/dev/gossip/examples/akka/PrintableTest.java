package dev.gossip.examples.akka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class PrintableTest {

  @Test
  void textIsShownAsItIs() {
    assertEquals("hello, Akka", Printable.of("hello, Akka".getBytes(UTF_8)));
    assertEquals("héllo ✓", Printable.of("héllo ✓".getBytes(UTF_8)));
  }

  @Test
  void controlAndFormatCharactersAreEscaped() {
    String clearScreen = Printable.of("\u001b[2J\u001b[Hgone".getBytes(UTF_8));
    assertEquals("binary (11 bytes): \\x1b[2J\\x1b[Hgone", clearScreen);
    assertNoControlCharacters(Printable.of("abc\u202edef".getBytes(UTF_8)));
  }

  @Test
  void aChatMessageIsShownAsEscapedBytes() throws Exception {
    // The chat's encoding: kind, name, send time, text.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(0);
      out.writeUTF("bob");
      out.writeLong(0x0000_0193_0000_9b1bL);
      out.writeUTF("hi\\all");
    }
    String shown = Printable.of(bytes.toByteArray());
    assertEquals(
        "binary (22 bytes): \\x00\\x00\\x03bob\\x00\\x00\\x01\\x93\\x00\\x00\\x9b\\x1b\\x00\\x06hi\\x5call",
        shown);
  }

  @Test
  void aLargeBinaryPayloadIsCut() {
    byte[] large = new byte[Printable.MAX_BINARY_SHOWN + 10];
    String shown = Printable.of(large);
    assertTrue(shown.startsWith("binary (" + large.length + " bytes): "), shown);
    assertTrue(shown.endsWith("..."), shown);
    assertEquals(Printable.MAX_BINARY_SHOWN, shown.split("\\\\x00", -1).length - 1);
  }

  private static void assertNoControlCharacters(String s) {
    assertTrue(s.codePoints().noneMatch(Character::isISOControl), s);
    assertTrue(s.codePoints().noneMatch(c -> Character.getType(c) == Character.FORMAT), s);
  }
}
