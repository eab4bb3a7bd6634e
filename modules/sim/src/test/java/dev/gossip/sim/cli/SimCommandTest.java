package dev.gossip.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a user sees for a bad scenario file and for -V. */
class SimCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine cmd = SimCommand.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  private Path file(String... lines) throws IOException {
    Path f = dir.resolve("bad.properties");
    Files.write(f, List.of(lines), StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void aBadValueIsOneLineOnStderrAndAFailingExitBeforeAnySimulation() throws IOException {
    Path f = file("kind = multi-sender", "service-time = 29 microseconds");
    int exit = execute("run", f.toString(), "--out", dir.resolve("out").toString());
    assertEquals(2, exit);
    assertEquals(
        f
            + ": service-time = 29 microseconds: unknown unit 'microseconds' in duration"
            + " '29 microseconds': accepted units ns, us, ms, s, m, h, d"
            + System.lineSeparator(),
        err.toString());
    assertTrue(Files.notExists(dir.resolve("out")), "no simulation started");
  }

  @Test
  void anUnknownKeyIsOneLineOnStderr() throws IOException {
    Path f = file("kind = multi-sender", "multi.sender = 5");
    assertEquals(2, execute("run", f.toString()));
    assertEquals(
        f + ": multi.sender = 5: unknown key; did you mean multi.senders?" + System.lineSeparator(),
        err.toString());
  }

  @Test
  void aMissingFileIsOneLineOnStderr() {
    Path f = dir.resolve("none.properties");
    assertEquals(2, execute("run", f.toString()));
    assertEquals(f + ": no such file" + System.lineSeparator(), err.toString());
  }

  @Test
  void versionPrintsALine() {
    assertEquals(0, execute("-V"));
    assertTrue(out.toString().startsWith("gossip-sim "), out.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, execute("run", "--version"));
    assertTrue(out.toString().startsWith("gossip-sim "), out.toString());
  }
}
