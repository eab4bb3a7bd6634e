package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README shows ChatRoomTest's example as it is compiled and run. */
class ReadmeTest {

  @Test
  void theReadmeShowsTheExampleUnchanged() throws IOException {
    List<String> source =
        Files.readAllLines(Path.of("src/test/java/dev/gossip/testkit/ChatRoomTest.java"));
    int begin = source.indexOf("  // README example begins");
    int end = source.indexOf("  // README example ends");
    assertTrue(begin >= 0 && end > begin, "the example markers are in ChatRoomTest");
    String example =
        source.subList(begin + 1, end).stream()
            .map(line -> line.startsWith("  ") ? line.substring(2) : line)
            .collect(Collectors.joining("\n"));
    String readme = Files.readString(Path.of("README.md"));
    assertTrue(
        readme.contains("```java\n" + example + "\n```"),
        "README.md must show ChatRoomTest's example unchanged:\n" + example);
  }
}
