package dev.gossip.pekko;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's examples ("Use it in", "Confirmed broadcasts"), and checks that the README
 * shows them unchanged.
 */
class ReadmeExampleTest {

  record Started(ActorSystem<Void> system, Gossip gossip, MessageId id) {}

  /** The README example: a node from the system's configuration that joins and broadcasts. */
  static Started example(Config config, List<String> received) throws Exception {
    // README-BEGIN
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "app", config);
    Gossip gossip =
        GossipExtension.get(system).gossip().toCompletableFuture().get(10, TimeUnit.SECONDS);

    // Events as a Stream: deliveries, membership changes, and GossipEvent.Missed when this
    // consumer fell more than gossip.subscriber-buffer-size events behind.
    gossip
        .events()
        .runForeach(
            e -> {
              if (e instanceof GossipEvent.Delivery d) {
                received.add(new String(d.payload(), UTF_8));
              } else if (e instanceof GossipEvent.Missed m) {
                system.log().warn("fell behind: missed {} deliveries", m.deliveries());
              }
            },
            system);

    gossip.join().toCompletableFuture().get(30, TimeUnit.SECONDS); // through gossip.contacts
    NodeId self = gossip.self(); // host, port and incarnation, as peers know this node
    system.log().info("joined as {}", self);
    MessageId id = gossip.broadcast("hello".getBytes(UTF_8)).toCompletableFuture().get();
    // README-END
    return new Started(system, gossip, id);
  }

  /** The README's confirmed broadcast, by a node with one neighbour. */
  static CompletionStage<MessageId> confirmedExample(ActorSystem<Void> system, Gossip gossip) {
    // README-BEGIN
    CompletionStage<MessageId> confirmed =
        gossip.broadcast(
            "order 42".getBytes(UTF_8), Confirmation.byNeighbors(1, Duration.ofSeconds(5)));
    confirmed.whenComplete(
        (id, failure) -> {
          if (failure instanceof BroadcastNotConfirmedException e) {
            // e.reason(): TIMEOUT, NOT_ENOUGH_NEIGHBORS, LEFT, or TOO_MANY_PENDING (not sent)
            system.log().warn("{} of {} acks: {}", e.acks(), e.wanted(), e.getMessage());
          } else if (failure != null) {
            // not joined, left, stopped, payload too large: the message was not sent
            system.log().error("not broadcast: {}", failure.getMessage());
          } else {
            system.log().info("{} reached a neighbour", id);
          }
        });
    // README-END
    return confirmed;
  }

  @Test
  void theReadmeExampleRunsAndTheReadmeShowsIt() throws Exception {
    try (TestNode contact = TestNode.start()) {
      contact.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
      List<String> received = new CopyOnWriteArrayList<>();
      Config config = TestNode.config("gossip.contacts = [\"" + contact.address() + "\"]");
      Started app = example(config, received);
      try {
        TestNode.await(
            Duration.ofSeconds(20),
            "the example's broadcast at the contact and at the example's own node",
            () -> contact.delivered(app.id()) == 1 && received.equals(List.of("hello")));
        MessageId confirmed =
            confirmedExample(app.system(), app.gossip())
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        TestNode.await(
            Duration.ofSeconds(20),
            "the confirmed broadcast at the contact",
            () -> contact.delivered(confirmed) == 1);
      } finally {
        app.system().terminate();
      }
    }
    // The Akka flavour's build runs a transformed copy of this test, kept outside src/test/java.
    Path sources = Path.of(System.getProperty("gossip.test-sources", "src/test/java"));
    String source =
        Files.readString(
            sources.resolve(ReadmeExampleTest.class.getName().replace('.', '/') + ".java"));
    String readme = Files.readString(Path.of("README.md"));
    List<String> snippets = new ArrayList<>();
    String begin = "    // README-BEGIN\n";
    for (int at = source.indexOf(begin); at >= 0; at = source.indexOf(begin, at + 1)) {
      String snippet =
          source.substring(at + begin.length(), source.indexOf("    // README-END", at));
      snippets.add(snippet);
      String normalized =
          snippet
              .lines()
              .map(l -> l.startsWith("    ") ? l.substring(4) : l)
              .collect(java.util.stream.Collectors.joining("\n"))
              .strip();
      assertTrue(readme.contains(normalized), "README.md must show the example:\n" + normalized);
    }
    assertEquals(2, snippets.size(), "README examples");
    String snippet = String.join("\n", snippets);

    // The README shows the imports the example needs, and each of them names a real class.
    for (String line : source.lines().filter(l -> l.startsWith("import ")).toList()) {
      String name = line.substring(line.lastIndexOf('.') + 1, line.length() - 1);
      if (Pattern.compile("\\b" + name + "\\b").matcher(snippet).find()) {
        assertTrue(readme.contains(line), "README.md must show " + line);
      }
    }
    for (String line : readme.lines().filter(l -> l.startsWith("import ")).toList()) {
      String name = line.replaceFirst("^import (static )?", "").replace(";", "");
      String type =
          line.startsWith("import static ") ? name.substring(0, name.lastIndexOf('.')) : name;
      assertDoesNotThrow(
          () -> Class.forName(type, false, ReadmeExampleTest.class.getClassLoader()),
          "README.md imports " + type);
    }
  }
}
