package dev.gossip.akka;

import static java.nio.charset.StandardCharsets.UTF_8;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import dev.gossip.akka.example.AkkaExample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs {@link AkkaExample} against a contact node and reads what it prints. */
class AkkaExampleTest {

  @Test
  void theExampleJoinsTheContactAndPrintsItsBroadcast() throws Exception {
    try (TestNode contact = TestNode.start()) {
      contact.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(printed, true, UTF_8);
      Config config = TestNode.config("gossip.contacts = [\"" + contact.address() + "\"]");
      ActorSystem<AkkaExample.Command> app =
          ActorSystem.create(
              AkkaExample.create(NodeSettings.load(config), out), "akka-example", config);
      try {
        TestNode.await(
            Duration.ofSeconds(20), "the example to join", () -> lines(printed).contains("joined"));
        contact.gossip.broadcast("hello, Akka".getBytes(UTF_8)).toCompletableFuture().get();
        String expected = "from " + contact.gossip.self() + ": hello, Akka";
        TestNode.await(
            Duration.ofSeconds(20),
            "the example to print the contact's broadcast",
            () -> lines(printed).contains(expected));
      } finally {
        app.terminate();
        app.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  private static List<String> lines(ByteArrayOutputStream printed) {
    return printed.toString(UTF_8).lines().toList();
  }
}
