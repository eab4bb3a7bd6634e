package dev.gossip.testkit;

import dev.gossip.pekko.Gossip;
import dev.gossip.pekko.GossipEvent;
import dev.gossip.pekko.LinkFaultsExtension;
import dev.gossip.pekko.NoContactReachableException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The main of one {@link ProcessCluster} node: a gossip node in this JVM, driven over the {@link
 * Control} channel at the address and port given as the first arguments. The configuration comes
 * from {@code -Dconfig.file}. The process exits when the channel closes, so a node never outlives
 * its test.
 */
final class NodeProcess {

  /** The reply to a join whose contacts did not answer yet: the node keeps trying. */
  static final String RETRYING = "retrying";

  private static final int EVENT_BUFFER = 1 << 20;
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final long STOP_TIMEOUT_SECONDS = 10;

  private final Writer out;
  private final ActorSystem<Void> system;
  private final FaultNetwork faults = new FaultNetwork();
  private Gossip gossip;

  private NodeProcess(Writer out, ActorSystem<Void> system) {
    this.out = out;
    this.system = system;
  }

  /** Arguments: the control connection's address and port, the node's name. */
  public static void main(String[] args) throws Exception {
    Socket socket = new Socket(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
    socket.setTcpNoDelay(true);
    Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
    InputStream in = new BufferedInputStream(socket.getInputStream());
    NodeProcess node = new NodeProcess(out, ActorSystem.create(Behaviors.empty(), args[2]));
    node.start();
    while (true) {
      String line;
      try {
        line = Control.readLine(in);
      } catch (Control.Rejected e) {
        node.send("err ? rejected: " + e.getMessage());
        continue;
      }
      if (line == null) {
        break;
      }
      if (line.equals("exit")) {
        node.system.terminate();
        node.system
            .getWhenTerminated()
            .toCompletableFuture()
            .get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        break;
      }
      node.handle(line);
    }
    // The test is gone (or said exit): nothing here is worth a clean shutdown.
    Runtime.getRuntime().halt(0);
  }

  private void start() throws Exception {
    LinkFaultsExtension.get(system).install(faults);
    gossip =
        Gossip.start(system).toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    gossip.events(EVENT_BUFFER).runWith(Sink.foreach(this::publish), system);
    send("ready " + Control.nodeId(gossip.self()));
  }

  private void publish(GossipEvent event) {
    long micros = micros();
    if (event instanceof GossipEvent.Delivery d) {
      send(
          "delivery "
              + micros
              + " "
              + Control.messageId(d.id())
              + " "
              + d.hops()
              + " "
              + Control.bytes(d.payload()));
    } else if (event instanceof GossipEvent.NeighborUp up) {
      send("up " + micros + " " + Control.nodeId(up.peer()));
    } else if (event instanceof GossipEvent.NeighborDown down) {
      send("down " + micros + " " + Control.nodeId(down.peer()) + " " + down.reason());
    } else if (event instanceof GossipEvent.Missed m) {
      send("missed " + micros + " " + m.count() + " " + m.deliveries());
    }
  }

  private static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  private void handle(String line) {
    String[] f = line.split(" ");
    String seq = f.length > 1 ? f[1] : "?";
    try {
      switch (f[0]) {
        case "join" -> reply(seq, join(contacts(f[2])));
        case "broadcast" ->
            reply(seq, gossip.broadcast(Control.bytes(f[2])).thenApply(Control::messageId));
        case "leave" -> {
          gossip.leave();
          ok(seq, "");
        }
        case "metrics" -> ok(seq, Control.metrics(gossip.metrics()));
        case "block" -> {
          faults.block(Control.nodeId(f[2]), Control.nodeId(f[3]));
          ok(seq, "");
        }
        case "heal" -> {
          faults.heal();
          ok(seq, "");
        }
        case "drop" -> {
          faults.dropAll(Double.parseDouble(f[2]));
          ok(seq, "");
        }
        case "delay" -> {
          faults.delayAll(Long.parseLong(f[2]), Long.parseLong(f[3]));
          ok(seq, "");
        }
        case "clear" -> {
          faults.clear();
          ok(seq, "");
        }
        default -> send("err " + seq + " unknown command " + f[0]);
      }
    } catch (RuntimeException e) {
      send("err " + seq + " " + oneLine(e));
    }
  }

  /**
   * Joins; when no contact answered in time (a busy machine), the node goes on trying with backoff
   * by itself, so the reply says so and the test waits for its first neighbour instead.
   */
  private CompletionStage<String> join(List<String> contacts) {
    return gossip
        .join(contacts)
        .handle(
            (done, failure) -> {
              if (failure == null) {
                return "";
              }
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause instanceof NoContactReachableException) {
                return RETRYING;
              }
              throw new CompletionException(cause);
            });
  }

  private static List<String> contacts(String field) {
    return field.equals("-") ? List.of() : Arrays.asList(field.split(","));
  }

  private void reply(String seq, CompletionStage<String> result) {
    result.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            ok(seq, value);
          } else {
            send("err " + seq + " " + oneLine(failure));
          }
        });
  }

  private void ok(String seq, String value) {
    send(value.isEmpty() ? "ok " + seq : "ok " + seq + " " + value);
  }

  private static String oneLine(Throwable failure) {
    return String.valueOf(failure).replace('\n', ' ').replace('\r', ' ');
  }

  private void send(String line) {
    synchronized (out) {
      try {
        out.write(line);
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        // The test is gone.
        Runtime.getRuntime().halt(0);
      }
    }
  }
}
