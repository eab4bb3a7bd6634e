package dev.gossip.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start runs the demo from the shaded jar: this runs it the same way, so a jar
 * that loses a library's configuration (each Pekko and Akka module ships a reference.conf, each
 * flavour a version.conf) fails the build, not the newcomer.
 */
class QuickStartIT {

  @Test
  void theShadedJarRunsTheLocalClusterDemoToFullDelivery() throws Exception {
    Path jar = Path.of("target", "gossip-examples.jar");
    assertTrue(Files.isRegularFile(jar), "built by package: " + jar.toAbsolutePath());
    Path output = Files.createTempFile("quick-start", ".txt");
    Process demo =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "local-cluster",
                "-n",
                "4",
                "-d",
                "3")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      assertTrue(demo.waitFor(120, TimeUnit.SECONDS), "the demo finished within 2 minutes");
      String printed = read(output);
      assertEquals(0, demo.exitValue(), printed);
      assertTrue(printed.contains("delivered    100.00 %"), printed);
    } finally {
      demo.destroyForcibly();
      Files.deleteIfExists(output);
    }
  }

  private static String read(Path output) throws IOException {
    return Files.readString(output, UTF_8);
  }
}
