package dev.gossip.examples.akka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.gossip.akka.NodeSettings;
import dev.gossip.pekko.Gossip;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link AkkaExample}, an Akka 2.6 application, against a contact node of the Pekko flavour:
 * it joins, subscribes, and prints the contact's broadcast.
 */
class AkkaExampleTest {

  private static final String LOCAL =
      "gossip.preset = local\ngossip.transport.handshake-timeout = 30 s\n";

  @Test
  void anAkkaApplicationJoinsAPekkoNodeAndPrintsItsBroadcast() throws Exception {
    org.apache.pekko.actor.typed.ActorSystem<Void> pekko =
        org.apache.pekko.actor.typed.ActorSystem.create(
            org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), "contact", config(""));
    try {
      Gossip contact = Gossip.start(pekko).toCompletableFuture().get(10, TimeUnit.SECONDS);
      contact.join(List.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
      String address = contact.self().host() + ":" + contact.self().port();
      Lines printed = new Lines();
      ActorSystem<AkkaExample.Command> app =
          startExample(config("gossip.contacts = [\"" + address + "\"]"), printed);
      try {
        printed.await("joined", Duration.ofSeconds(30));
        contact.broadcast("hello, Akka".getBytes(UTF_8)).toCompletableFuture().get();
        printed.await("from " + contact.self() + ": hello, Akka", Duration.ofSeconds(30));
      } finally {
        app.terminate();
        app.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } finally {
      pekko.terminate();
      pekko.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void itsNodeListensOnAnyFreePortUnlessToldSoTheChatsPortStaysFree() {
    assertEquals(0, AkkaExample.config().getInt("gossip.port"));
  }

  @Test
  void aPortInUseIsReportedInOneLineAndTheExampleStops() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Lines printed = new Lines();
      ActorSystem<AkkaExample.Command> app =
          startExample(config("gossip.port = " + taken.getLocalPort()), printed);
      try {
        app.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } finally {
        app.terminate();
      }
      String line = printed.only();
      assertTrue(line.contains(":" + taken.getLocalPort() + ": the address is in use"), line);
      assertTrue(line.contains("-Dgossip.port"), line);
    }
  }

  private static ActorSystem<AkkaExample.Command> startExample(Config config, Lines printed) {
    return ActorSystem.create(
        AkkaExample.create(NodeSettings.load(config), new PrintStream(printed, true, UTF_8)),
        "akka-example",
        config);
  }

  private static Config config(String extra) {
    return ConfigFactory.parseString(LOCAL + extra).withFallback(ConfigFactory.load()).resolve();
  }

  /** What the example prints, line by line; a test waits for a line for a bounded time. */
  private static final class Lines extends OutputStream {
    private final StringBuilder current = new StringBuilder();
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines.add(current.toString());
        current.setLength(0);
        notifyAll();
      } else {
        current.append((char) b);
      }
    }

    /** The one line printed; fails if there is another. */
    synchronized String only() {
      assertEquals(1, lines.size(), "printed " + lines);
      return lines.get(0);
    }

    synchronized void await(String line, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!lines.contains(line)) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          fail("timed out after " + timeout + " waiting for \"" + line + "\"; printed " + lines);
        }
        wait(left);
      }
    }
  }
}
