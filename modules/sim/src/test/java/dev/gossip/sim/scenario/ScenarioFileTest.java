package dev.gossip.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a scenario file: every key known, every value checked, before any simulation runs. */
class ScenarioFileTest {

  @TempDir Path dir;

  private Path file(String... lines) throws IOException {
    Path f = dir.resolve("s.properties");
    Files.write(f, List.of(lines), StandardCharsets.UTF_8);
    return f;
  }

  private String rejection(String... lines) throws IOException {
    Path f = file(lines);
    return assertThrows(ScenarioException.class, () -> Scenario.load(f)).getMessage();
  }

  @Test
  void anUnknownKeyIsRejectedWithTheNearestKnownOne() throws IOException {
    Path f = file("kind = multi-sender", "multi.sender = 5");
    ScenarioException e = assertThrows(ScenarioException.class, () -> Scenario.load(f));
    assertEquals(
        f + ": multi.sender = 5: unknown key; did you mean multi.senders?", e.getMessage());
    assertEquals("multi.sender", e.key());
    assertEquals(f + ": colour = red: unknown key", rejection("kind = stable", "colour = red"));
  }

  @Test
  void aDurationWithAnUnknownUnitNamesTheKeyAndTheUnits() throws IOException {
    Path f = file("kind = multi-sender", "service-time = 29 microseconds");
    assertEquals(
        f
            + ": service-time = 29 microseconds: unknown unit 'microseconds' in duration"
            + " '29 microseconds': accepted units ns, us, ms, s, m, h, d",
        assertThrows(ScenarioException.class, () -> Scenario.load(f)).getMessage());
  }

  @Test
  void everyKindOfValueIsChecked() throws IOException {
    assertTrue(
        rejection("kind = stable", "nodes = many").endsWith("nodes = many: not a whole number"));
    assertTrue(rejection("kind = stable", "nodes = 0").endsWith("nodes = 0: must be at least 1"));
    assertTrue(
        rejection("kind = stable", "loss = 2").endsWith("loss = 2: a probability from 0 to 1.0"));
    assertTrue(rejection("kind = stable", "cycle = 0s").endsWith("cycle = 0s: must be above 0"));
    assertTrue(rejection("kind = stable", "latency = gaussian 5ms").contains("latency = gaussian"));
    assertTrue(
        rejection("kind = failure", "failure.percents = 10, 100")
            .endsWith("failure.percents = 10, 100: '100': a percentage from 0 to 99"));
    assertTrue(
        rejection("kind = failure", "failure.crash = loud")
            .endsWith("failure.crash = loud: one of reset, silent"));
    assertTrue(rejection("kind = stable", "seeds = ,").endsWith("seeds = ,: no seed"));
    assertTrue(rejection("kind = flood").contains("kind = flood: one of churn, failure"));
  }

  @Test
  void theSeriesMustBeOnesTheKindRuns() throws IOException {
    assertTrue(
        rejection("kind = failure", "series = plain")
            .endsWith("series = plain: kind failure runs paper, extensions"));
    assertTrue(
        rejection("kind = formation", "series = paper")
            .endsWith("series = paper: kind formation runs no series"));
  }

  @Test
  void aMultiSenderFileNamesItsCompositionsInItsSeries() throws IOException {
    assertTrue(
        rejection("kind = multi-sender", "composition = mailboxes")
            .endsWith(
                "kind multi-sender runs the compositions its series names, not composition or --mailboxes"));
  }

  @Test
  void aMultiSenderFilesGraftTimersMustFitUnderTheirBound() throws IOException {
    assertTrue(
        rejection("kind = multi-sender", "multi.graft-timeout = 3s")
            .endsWith(
                "multi.graft-timeout = 3s: multi.max-graft-timeout (2000ms) must be at least"
                    + " multi.graft-timeout (3s) and multi.second-graft-timeout (40ms), or off"));
    assertTrue(
        rejection("kind = multi-sender", "multi.second-graft-timeout = 3s")
            .startsWith(dir.resolve("s.properties") + ": multi.second-graft-timeout = 3s: "));
    assertTrue(
        rejection(
                "kind = multi-sender",
                "multi.graft-timeout = 100ms",
                "multi.max-graft-timeout = 50ms")
            .contains("multi.max-graft-timeout = 50ms: multi.max-graft-timeout (50ms) must be"));
    assertTrue(
        rejection("kind = multi-sender", "multi.max-graft-timeout = 5m")
            .contains("multi.max-graft-timeout = 5m: invalid setting recovery.history-retention"));
    Scenario.load(
        file("kind = multi-sender", "multi.graft-timeout = 3s", "multi.max-graft-timeout = off"));
  }

  @Test
  void aFileMustNameItsKind() throws IOException {
    assertTrue(
        rejection("nodes = 10")
            .endsWith(
                "s.properties: kind: missing, one of churn, failure,"
                    + " formation, multi-sender, partition, stable"));
  }

  @Test
  void aCommandLineOverrideIsCheckedAsAFileValueIs() throws IOException {
    Scenario s = Scenario.load(file("kind = stable"));
    assertThrows(ScenarioException.class, () -> s.with("nodes", "-3"));
    assertEquals(7, s.with("nodes", "7").nodes());
  }

  @Test
  void everyCommittedScenarioFileLoadsAndNamesItsSimulations() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(Path.of("simulations"))) {
      files = listing.filter(f -> f.toString().endsWith(".properties")).sorted().toList();
    }
    assertFalse(files.isEmpty());
    for (Path f : files) {
      assertFalse(Task.of(Scenario.load(f)).isEmpty(), f.toString());
    }
  }

  @Test
  void theReadmeTableDocumentsEveryKey() throws IOException {
    List<String> rows =
        Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith("| `"))
            .toList();
    List<String> missing = new ArrayList<>();
    for (ScenarioKey k : ScenarioKey.values()) {
      if (rows.stream().noneMatch(r -> r.split("\\|")[1].contains("`" + k.key() + "`"))) {
        missing.add(k.key());
      }
    }
    assertEquals(List.of(), missing, "keys without a row in modules/sim/README.md's table");
  }
}
