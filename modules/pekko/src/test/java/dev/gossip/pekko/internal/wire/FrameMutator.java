package dev.gossip.pekko.internal.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hostile inputs for the decoder, made from valid frames: bit flips, byte overwrites, truncations,
 * appended garbage, wrong length prefixes, wrong versions, unknown or swapped type codes, CBOR
 * headers declaring huge arrays, maps and strings, long varint-like runs, several frames in one
 * case, and purely random frames. Deterministic for a given random generator.
 */
final class FrameMutator {

  /** The bytes of one hostile link and how many mutated or random frames they hold. */
  record Case(byte[] bytes, int fuzzedFrames) {}

  /** CBOR heads that declare a count in the next 8, 4 or 2 bytes: array, map, bytes, text. */
  private static final int[] SIZED_HEADS = {0x9b, 0xbb, 0x5b, 0x7b, 0x9a, 0xba, 0x5a, 0x7a, 0x99};

  /** Bytes worth planting: CBOR break, null, undefined, indefinite heads, extremes. */
  private static final int[] INTERESTING = {
    0x00, 0x01, 0x7f, 0x80, 0xff, 0x9f, 0xbf, 0x5f, 0x7f, 0xf6, 0xf7, 0xf9, 0xfa, 0xfb, 0xc0, 0xd9
  };

  private final SplittableRandom random;
  private final List<byte[]> samples;
  private final int maxFrameSize;

  FrameMutator(SplittableRandom random, List<byte[]> samples, int maxFrameSize) {
    this.random = random;
    this.samples = samples;
    this.maxFrameSize = maxFrameSize;
  }

  Case next() {
    int kind = random.nextInt(20);
    if (kind < 10) {
      return new Case(mutate(sample()), 1);
    } else if (kind < 14) {
      return concatenation();
    } else if (kind < 16) {
      return new Case(randomFrame(), 1);
    } else if (kind < 17) {
      byte[] noise = new byte[1 + random.nextInt(256)];
      random.nextBytes(noise);
      return new Case(noise, 1);
    }
    return new Case(sample(), 0);
  }

  private byte[] sample() {
    return samples.get(random.nextInt(samples.size()));
  }

  private Case concatenation() {
    int n = 2 + random.nextInt(7);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int fuzzed = 0;
    for (int i = 0; i < n; i++) {
      boolean mutate = random.nextBoolean();
      out.writeBytes(mutate ? mutate(sample()) : sample());
      fuzzed += mutate ? 1 : 0;
    }
    return new Case(out.toByteArray(), Math.max(fuzzed, 1));
  }

  /** A frame with a consistent length, the current version and any type code, and a random body. */
  private byte[] randomFrame() {
    byte[] body = new byte[random.nextInt(512)];
    random.nextBytes(body);
    return ByteBuffer.allocate(6 + body.length)
        .putInt(2 + body.length)
        .put(Codec.VERSION)
        .put((byte) random.nextInt(33))
        .put(body)
        .array();
  }

  private byte[] mutate(byte[] valid) {
    byte[] frame = valid.clone();
    int ops = 1 + random.nextInt(3);
    boolean fixLength = random.nextBoolean();
    for (int i = 0; i < ops; i++) {
      frame =
          switch (random.nextInt(10)) {
            case 0 -> flipBits(frame);
            case 1 -> overwrite(frame);
            case 2 -> Arrays.copyOf(frame, random.nextInt(frame.length + 1));
            case 3 -> insert(frame, frame.length, garbage(1 + random.nextInt(64)));
            case 4 -> wrongLength(frame);
            case 5 -> set(frame, 4, random.nextInt(256));
            case 6 -> set(frame, 5, random.nextInt(256));
            case 7 -> insert(frame, bodyPosition(frame), hugeHead());
            case 8 -> widenAHead(frame);
            default -> insert(frame, bodyPosition(frame), varintRun());
          };
    }
    if (fixLength && frame.length >= 4) {
      ByteBuffer.wrap(frame).putInt(0, frame.length - 4);
    }
    return frame;
  }

  private byte[] flipBits(byte[] frame) {
    int flips = 1 + random.nextInt(8);
    for (int i = 0; i < flips && frame.length > 0; i++) {
      frame[random.nextInt(frame.length)] ^= (byte) (1 << random.nextInt(8));
    }
    return frame;
  }

  private byte[] overwrite(byte[] frame) {
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n && frame.length > 0; i++) {
      int value =
          random.nextBoolean()
              ? INTERESTING[random.nextInt(INTERESTING.length)]
              : random.nextInt(256);
      frame[random.nextInt(frame.length)] = (byte) value;
    }
    return frame;
  }

  private byte[] wrongLength(byte[] frame) {
    if (frame.length < 4) {
      return frame;
    }
    int actual = frame.length - 4;
    int length =
        switch (random.nextInt(5)) {
          case 0 -> random.nextInt(Math.max(1, actual));
          case 1 -> actual + 1 + random.nextInt(maxFrameSize - Math.min(actual, maxFrameSize - 1));
          case 2 -> -1 - random.nextInt(Integer.MAX_VALUE);
          case 3 -> maxFrameSize + 1 + random.nextInt(Integer.MAX_VALUE - maxFrameSize);
          default -> random.nextInt(2);
        };
    ByteBuffer.wrap(frame).putInt(0, length);
    return frame;
  }

  private static byte[] set(byte[] frame, int index, int value) {
    if (index < frame.length) {
      frame[index] = (byte) value;
    }
    return frame;
  }

  /** A position in the body, or the end of a frame too short to have one. */
  private int bodyPosition(byte[] frame) {
    return frame.length <= 6 ? frame.length : 6 + random.nextInt(frame.length - 6 + 1);
  }

  /** A CBOR array, map, byte or text string head declaring a huge (or the largest) count. */
  private byte[] hugeHead() {
    int head = SIZED_HEADS[random.nextInt(SIZED_HEADS.length)];
    int countBytes = head % 0x20 == 0x1b ? 8 : head % 0x20 == 0x1a ? 4 : 2;
    ByteBuffer b = ByteBuffer.allocate(1 + countBytes).put((byte) head);
    for (int i = 0; i < countBytes; i++) {
      b.put(random.nextInt(4) == 0 ? (byte) random.nextInt(256) : (byte) 0xff);
    }
    return b.array();
  }

  /** Replaces an existing small array, map or string head with one declaring a huge count. */
  private byte[] widenAHead(byte[] frame) {
    for (int tries = 0; tries < 16 && frame.length > 6; tries++) {
      int at = 6 + random.nextInt(frame.length - 6);
      int major = (frame[at] & 0xff) >> 5;
      if (major >= 2 && major <= 5 && (frame[at] & 0x1f) < 24) {
        byte[] rest = Arrays.copyOfRange(frame, at + 1, frame.length);
        byte[] head = hugeHead();
        head[0] = (byte) (major << 5 | (head[0] & 0x1f));
        return insert(Arrays.copyOf(frame, at), at, concat(head, rest));
      }
    }
    return insert(frame, bodyPosition(frame), hugeHead());
  }

  /** Bytes with the continuation bit set, as a varint of a huge value would be. */
  private byte[] varintRun() {
    byte[] run = new byte[5 + random.nextInt(6)];
    Arrays.fill(run, (byte) 0xff);
    run[run.length - 1] = (byte) random.nextInt(0x80);
    return run;
  }

  private byte[] garbage(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] insert(byte[] frame, int at, byte[] bytes) {
    byte[] out = new byte[frame.length + bytes.length];
    System.arraycopy(frame, 0, out, 0, at);
    System.arraycopy(bytes, 0, out, at, bytes.length);
    System.arraycopy(frame, at, out, at + bytes.length, frame.length - at);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return insert(a, a.length, b);
  }
}
