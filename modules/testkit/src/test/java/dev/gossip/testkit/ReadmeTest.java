package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README shows ChatRoomTest's and ProcessClusterTest's examples as they are compiled and run.
 * The Akka build (gossip-testkit-akka) runs this test on its transformed copy of ChatRoomTest,
 * against this module's README: system properties {@code gossip.test-sources} and {@code
 * gossip.readme} say where they are.
 */
class ReadmeTest {

  @ParameterizedTest
  @ValueSource(strings = {"ChatRoomTest", "ProcessClusterTest"})
  void theReadmeShowsTheExampleUnchanged(String test) throws IOException {
    List<String> source =
        Files.readAllLines(
            Path.of(
                System.getProperty("gossip.test-sources", "src/test/java"),
                "dev/gossip/testkit/" + test + ".java"));
    int begin = source.indexOf("  // README example begins");
    int end = source.indexOf("  // README example ends");
    assertTrue(begin >= 0 && end > begin, "the example markers are in " + test);
    String example =
        source.subList(begin + 1, end).stream()
            .map(line -> line.startsWith("  ") ? line.substring(2) : line)
            .collect(Collectors.joining("\n"));
    Path readmePath = Path.of(System.getProperty("gossip.readme", "README.md"));
    String readme = Files.readString(readmePath);
    assertTrue(
        readme.contains("```java\n" + example + "\n```"),
        readmePath + " must show " + test + "'s example unchanged:\n" + example);
  }
}
