package dev.gossip.examples;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.gossip.pekko.Gossip;
import dev.gossip.pekko.LinkFaults;
import dev.gossip.pekko.LinkFaultsExtension;
import dev.gossip.pekko.NodeSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Starting a node the way every demo does: one ActorSystem per node, logging through SLF4J. */
public final class Nodes {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private Nodes() {}

  /**
   * The configuration of one node: the {@code gossip} keys given here over the preset, Pekko
   * logging through SLF4J, and two dispatcher threads (demos run many nodes on few cores).
   */
  public static Config config(
      String preset,
      String host,
      int port,
      String advertisedHost,
      TlsOptions tls,
      boolean verbose) {
    Map<String, Object> keys = new HashMap<>();
    keys.put("gossip.preset", preset);
    keys.put("gossip.host", host);
    keys.put("gossip.port", port);
    keys.put("gossip.advertised-host", advertisedHost == null ? "" : advertisedHost);
    tls.addTo(keys);
    keys.put("pekko.loggers", List.of("org.apache.pekko.event.slf4j.Slf4jLogger"));
    keys.put("pekko.logging-filter", "org.apache.pekko.event.slf4j.Slf4jLoggingFilter");
    keys.put("pekko.loglevel", verbose ? "INFO" : "WARNING");
    keys.put("pekko.stdout-loglevel", "OFF");
    keys.put("pekko.log-dead-letters", "off");
    keys.put("pekko.log-dead-letters-during-shutdown", "off");
    keys.put("pekko.actor.default-dispatcher.fork-join-executor.parallelism-max", 2);
    return ConfigFactory.parseMap(keys).withFallback(ConfigFactory.load()).resolve();
  }

  /**
   * A node and the ActorSystem it runs in; closing terminates the system (a crash, not a leave).
   */
  public record Node(ActorSystem<Void> system, Gossip gossip) implements AutoCloseable {

    /** "host:port" of this node as others reach it. */
    public String address() {
      return Nodes.address(gossip);
    }

    @Override
    public void close() {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  /** Starts an ActorSystem and its gossip node; the node listens when this returns. */
  public static Node start(String systemName, Config config)
      throws InterruptedException, ExecutionException, TimeoutException {
    return start(systemName, config, null);
  }

  /**
   * Starts an ActorSystem and its gossip node with a fault-injection stage installed first (none if
   * {@code faults} is null); the node listens when this returns.
   */
  public static Node start(String systemName, Config config, LinkFaults faults)
      throws InterruptedException, ExecutionException, TimeoutException {
    NodeSettings settings = NodeSettings.load(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), systemName, config);
    try {
      if (faults != null) {
        LinkFaultsExtension.get(system).install(faults);
      }
      Gossip gossip =
          Gossip.start(system, settings)
              .toCompletableFuture()
              .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new Node(system, gossip);
    } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  /** "host:port" of a node as others reach it. */
  public static String address(Gossip gossip) {
    return gossip.self().host() + ":" + gossip.self().port();
  }

  /** Accepts "port" (meaning 127.0.0.1:port) or "host:port". */
  public static String contact(String value) {
    return value.chars().allMatch(Character::isDigit) ? "127.0.0.1:" + value : value;
  }
}
