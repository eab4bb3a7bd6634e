package dev.gossip.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes sent on the loopback interface, from {@code /proc/net/dev} (Linux only; -1 elsewhere).
 * Machine-wide: it counts TCP/IP headers and acknowledgements, and any other process's loopback
 * traffic, so per delivery it is an upper bound on the benchmark's own bytes.
 */
final class Loopback {

  private Loopback() {}

  static long txBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/net/dev"))) {
        String t = line.trim();
        if (t.startsWith("lo:")) {
          String[] f = t.substring(3).trim().split("\\s+");
          return Long.parseLong(f[8]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
