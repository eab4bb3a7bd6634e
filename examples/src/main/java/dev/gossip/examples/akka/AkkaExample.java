package dev.gossip.examples.akka;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.gossip.akka.BindFailedException;
import dev.gossip.akka.GossipEvent;
import dev.gossip.akka.GossipNode;
import dev.gossip.akka.NodeSettings;
import dev.gossip.core.InvalidSettingException;
import java.io.PrintStream;
import java.net.UnknownHostException;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/**
 * An Akka 2.6 application on gossip-akka: its guardian spawns the gossip behaviour, joins through
 * the contacts of {@code gossip.contacts} and prints every delivery it gets as a subscriber of the
 * node. If the node cannot start or join, it prints one line saying why and stops; {@link #main}
 * then exits with status 1.
 */
public final class AkkaExample extends AbstractBehavior<AkkaExample.Command> {

  /** What the guardian handles: the node's start, the join's outcome, deliveries. */
  public sealed interface Command {}

  private record StartOutcome(GossipNode.Started started, Throwable failure) implements Command {}

  private record JoinOutcome(Throwable failure) implements Command {}

  private record Event(GossipEvent event) implements Command {}

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);

  private final NodeSettings settings;
  private final PrintStream out;
  private final ActorRef<GossipNode.Command> node;

  /**
   * Runs the example with the configuration of {@code application.conf} and system properties
   * ({@link #config}); returns only if the node could not start or join.
   */
  public static void main(String[] args) {
    // Initialise logging before any ActorSystem thread logs, so nothing is queued and replayed.
    LoggerFactory.getILoggerFactory();
    Config config = config();
    NodeSettings settings;
    try {
      settings = NodeSettings.load(config);
    } catch (InvalidSettingException e) {
      System.out.println(e.getMessage());
      System.exit(1);
      return;
    }
    ActorSystem<Command> system =
        ActorSystem.create(create(settings, System.out), "akka-example", config);
    system.getWhenTerminated().toCompletableFuture().join();
    System.exit(1);
  }

  /**
   * The example's configuration: system properties, then its own defaults, then {@code
   * application.conf} and the references. Its node listens on any free port unless {@code
   * -Dgossip.port} says otherwise (the other demos listen on 7355), and Akka logs through SLF4J,
   * warnings and errors only.
   */
  public static Config config() {
    return ConfigFactory.systemProperties()
        .withFallback(
            ConfigFactory.parseString(
                "gossip.port = 0\n"
                    + "akka.loggers = [\"akka.event.slf4j.Slf4jLogger\"]\n"
                    + "akka.logging-filter = \"akka.event.slf4j.Slf4jLoggingFilter\"\n"
                    + "akka.loglevel = WARNING\n"
                    + "akka.stdout-loglevel = OFF"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  public static Behavior<Command> create(NodeSettings settings, PrintStream out) {
    return Behaviors.setup(context -> new AkkaExample(context, settings, out));
  }

  private AkkaExample(ActorContext<Command> context, NodeSettings settings, PrintStream out) {
    super(context);
    this.settings = settings;
    this.out = out;
    node = context.spawn(GossipNode.create(settings), "gossip");
    node.tell(new GossipNode.Subscribe(context.messageAdapter(GossipEvent.class, Event::new)));
    // Started first: a node that cannot bind answers this with the BindFailedException.
    context.askWithStatus(
        GossipNode.Started.class, node, ASK_TIMEOUT, GossipNode.GetStarted::new, StartOutcome::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StartOutcome.class, this::onStartOutcome)
        .onMessage(JoinOutcome.class, this::onJoinOutcome)
        .onMessage(Event.class, this::onEvent)
        .build();
  }

  private Behavior<Command> onStartOutcome(StartOutcome outcome) throws UnknownHostException {
    if (outcome.failure() instanceof BindFailedException bind) {
      return stop(bind.getMessage() + " (-Dgossip.host, -Dgossip.port)");
    } else if (outcome.failure() != null) {
      return stop("the node did not start: " + outcome.failure().getMessage());
    }
    out.println("listening on " + outcome.started().self());
    getContext()
        .askWithStatus(
            Done.class,
            node,
            ASK_TIMEOUT,
            replyTo -> new GossipNode.Join(settings.resolveContacts(), replyTo),
            (done, failure) -> new JoinOutcome(failure));
    return this;
  }

  private Behavior<Command> onJoinOutcome(JoinOutcome outcome) {
    if (outcome.failure() != null) {
      return stop("join failed: " + outcome.failure().getMessage());
    }
    out.println("joined");
    return this;
  }

  private Behavior<Command> stop(String why) {
    out.println(why);
    getContext().getSystem().terminate();
    return Behaviors.stopped();
  }

  private Behavior<Command> onEvent(Event event) {
    if (event.event() instanceof GossipEvent.Delivery d) {
      out.println("from " + d.origin() + ": " + Printable.of(d.payload()));
    }
    return this;
  }
}
