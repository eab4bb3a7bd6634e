package dev.gossip.examples.akka;

import static java.nio.charset.StandardCharsets.UTF_8;

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
import dev.gossip.akka.GossipEvent;
import dev.gossip.akka.GossipNode;
import dev.gossip.akka.NodeSettings;
import java.io.PrintStream;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * An Akka 2.6 application on gossip-akka: its guardian spawns the gossip behaviour, joins through
 * the contacts of {@code gossip.contacts} and prints every delivery it sees on the event stream.
 */
public final class AkkaExample extends AbstractBehavior<AkkaExample.Command> {

  /** What the guardian handles: the join's outcome and deliveries from the event stream. */
  public sealed interface Command {}

  private record JoinOutcome(Throwable failure) implements Command {}

  private record Event(GossipEvent event) implements Command {}

  private final PrintStream out;

  /** Runs the example with the configuration of {@code application.conf}. */
  public static void main(String[] args) {
    Config config = ConfigFactory.load();
    ActorSystem.create(create(NodeSettings.load(config), System.out), "akka-example", config);
  }

  public static Behavior<Command> create(NodeSettings settings, PrintStream out) {
    return Behaviors.setup(context -> new AkkaExample(context, settings, out));
  }

  private AkkaExample(ActorContext<Command> context, NodeSettings settings, PrintStream out)
      throws UnknownHostException {
    super(context);
    this.out = out;
    ActorRef<GossipNode.Command> node = context.spawn(GossipNode.create(settings), "gossip");
    node.tell(new GossipNode.Subscribe(context.messageAdapter(GossipEvent.class, Event::new)));
    context.askWithStatus(
        Done.class,
        node,
        Duration.ofSeconds(60),
        replyTo -> new GossipNode.Join(settings.resolveContacts(), replyTo),
        (done, failure) -> new JoinOutcome(failure));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(JoinOutcome.class, this::onJoinOutcome)
        .onMessage(Event.class, this::onEvent)
        .build();
  }

  private Behavior<Command> onJoinOutcome(JoinOutcome outcome) {
    out.println(outcome.failure() == null ? "joined" : "join failed: " + outcome.failure());
    return this;
  }

  private Behavior<Command> onEvent(Event event) {
    if (event.event() instanceof GossipEvent.Delivery d) {
      out.println("from " + d.origin() + ": " + new String(d.payload(), UTF_8));
    }
    return this;
  }
}
