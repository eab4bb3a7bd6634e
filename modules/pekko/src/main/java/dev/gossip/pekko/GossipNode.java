package dev.gossip.pekko;

import dev.gossip.core.InvalidSettingException;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import dev.gossip.core.Role;
import dev.gossip.core.Start;
import dev.gossip.core.membership.ContactsUnreachable;
import dev.gossip.core.membership.JoinOverlay;
import dev.gossip.pekko.internal.Broadcaster;
import dev.gossip.pekko.internal.GossipDispatcher;
import dev.gossip.pekko.internal.NodeMetrics;
import dev.gossip.pekko.internal.ReportFailures;
import dev.gossip.pekko.internal.Subscribers;
import dev.gossip.pekko.internal.Wiring;
import dev.gossip.pekko.internal.link.InboundGate;
import dev.gossip.pekko.internal.link.LinkManager;
import dev.gossip.pekko.internal.link.LinkRegistry;
import dev.gossip.pekko.internal.role.DisseminationActor;
import dev.gossip.pekko.internal.role.HeartbeatActor;
import dev.gossip.pekko.internal.role.MembershipActor;
import dev.gossip.pekko.internal.role.RecoveryActor;
import dev.gossip.pekko.internal.role.RoleCommand;
import dev.gossip.pekko.internal.role.RoleNode;
import dev.gossip.pekko.internal.tls.TlsContext;
import dev.gossip.pekko.internal.tls.TlsLinks;
import dev.gossip.pekko.internal.wire.Codec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.BoundedSourceQueue;

/**
 * One gossip node: binds the peer listener, then runs one child actor per protocol role
 * (membership, dissemination, recovery, heartbeat) and the link manager, and wires them together.
 * It bootstraps the node and serves the API; it is not on the data path: frames go from the links
 * to the roles and back, and deliveries from the dissemination role to the subscribers, without
 * passing through it. It keeps the subscriber sets and publishes the membership events.
 *
 * <p>Spawn it with {@link #create(NodeSettings)}, or use {@link Gossip#start} for a Java API of
 * CompletionStages.
 */
public final class GossipNode extends AbstractBehavior<GossipNode.Command> {

  public sealed interface Command {}

  /**
   * Rounds of contacts that must fail in a row before a Join is answered with an error: one slow
   * answer (a cold JVM, a busy machine) is not "no contact reachable".
   */
  public static final int JOIN_ROUNDS = 3;

  /** Replies once the node listens: its id, or a {@link BindFailedException}. */
  public record GetStarted(ActorRef<StatusReply<Started>> replyTo) implements Command {}

  /**
   * The running node's identity, its payload limit, its metrics, and (internal, for {@link Gossip})
   * the way to its dissemination role and its subscriber sets, which need no hop through the node.
   */
  public record Started(
      NodeId self,
      int maxPayloadSize,
      Supplier<MetricsSnapshot> metrics,
      Supplier<Membership> membership,
      Broadcaster broadcaster,
      Subscribers subscribers) {}

  /**
   * Join through these contacts (an empty list, or one naming only this node, starts a new
   * overlay). Replies when the first neighbour is up, or with a {@link NoContactReachableException}
   * after {@value #JOIN_ROUNDS} rounds of contacts failed in a row (the node keeps retrying), or a
   * {@link LeftOverlayException} after a {@link Leave}.
   */
  public record Join(List<NodeId> contacts, ActorRef<StatusReply<Done>> replyTo)
      implements Command {
    public Join {
      contacts = List.copyOf(contacts);
    }
  }

  /**
   * Broadcast a payload; replies with its id, or a {@link NotJoinedException} or {@link
   * PayloadTooLargeException}.
   */
  public record Broadcast(byte[] payload, ActorRef<StatusReply<MessageId>> replyTo)
      implements Command {}

  /** Leave the overlay: neighbours are told, and the node stops taking part (final). */
  public enum Leave implements Command {
    INSTANCE
  }

  /**
   * {@link Leave}, then reply once the neighbours' links have flushed the Disconnect and closed (or
   * after {@code gossip.transport.connect-timeout} at the latest): the system may terminate then.
   */
  public record LeaveAndReply(ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Deliver every {@link GossipEvent} to this actor until it stops or unsubscribes. */
  public record Subscribe(ActorRef<GossipEvent> subscriber) implements Command {}

  public record Unsubscribe(ActorRef<GossipEvent> subscriber) implements Command {}

  /** Offer every event to this queue; a full queue makes the subscriber's missed count grow. */
  public record SubscribeQueue(BoundedSourceQueue<GossipEvent> queue) implements Command {}

  /**
   * Read the TLS key material again for new connections; replies when it is in use, or with the
   * {@link InvalidSettingException} that kept the old material in use (or an {@link
   * IllegalStateException} when TLS is off).
   */
  public record ReloadTls(ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Replies with a metrics snapshot. */
  public record GetMetrics(ActorRef<MetricsSnapshot> replyTo) implements Command {}

  private record WrappedBind(LinkManager.BindOutcome outcome) implements Command {}

  private record WrappedEvent(Output event) implements Command {}

  private record BroadcastDone(
      MessageId id, Throwable failure, ActorRef<StatusReply<MessageId>> replyTo)
      implements Command {}

  private record SubscriberTerminated(ActorRef<GossipEvent> subscriber) implements Command {}

  private enum PollTls implements Command {
    INSTANCE
  }

  private final NodeSettings settings;
  private final StashBuffer<Command> stash;
  private final NodeMetrics metrics;
  private final Codec codec;
  private final TlsContext tls;
  private final ActorRef<LinkManager.Command> links;
  private final ActorRef<Output> userEvents;
  private final LinkRegistry registry;
  private final InboundGate gate;
  private final Subscribers subscribers;

  /** The views as of the membership role's last command. */
  private final AtomicReference<Membership> views = new AtomicReference<>();

  private final List<ActorRef<StatusReply<Started>>> waitingForStart = new ArrayList<>();
  private final List<ActorRef<StatusReply<Done>>> pendingJoins = new ArrayList<>();

  /** Actor subscribers watched, so that one that stops is removed. */
  private final Set<ActorRef<GossipEvent>> watched = new HashSet<>();

  private NodeId self;
  private Wiring wiring;
  private Broadcaster broadcaster;
  private int neighbors;

  /** The membership role was told to leave. */
  private boolean left;

  /** Rounds of contacts that failed since the last Join or neighbour. */
  private int failedRounds;

  /**
   * The node's behaviour; the TLS key material is read here.
   *
   * @throws InvalidSettingException if TLS is on and its key material is unusable
   */
  public static Behavior<Command> create(NodeSettings settings) {
    TlsContext tls = settings.tls().enabled() ? TlsContext.open(settings.tls()) : null;
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    Behaviors.withStash(
                        10_000, stash -> new GossipNode(context, stash, timers, settings, tls))));
  }

  private GossipNode(
      ActorContext<Command> context,
      StashBuffer<Command> stash,
      TimerScheduler<Command> timers,
      NodeSettings settings,
      TlsContext tls) {
    super(context);
    this.settings = settings;
    this.tls = tls;
    Duration poll = settings.tls().reloadInterval();
    if (tls != null && !poll.isZero()) {
      timers.startTimerWithFixedDelay(PollTls.INSTANCE, poll);
    }
    this.stash = stash;
    this.metrics = new NodeMetrics(settings.metricsWindow());
    this.codec =
        new Codec(context.getSystem().classicSystem(), settings.transport().maxFrameSize());
    this.userEvents = context.messageAdapter(Output.class, WrappedEvent::new);
    this.registry = new LinkRegistry();
    this.gate = new InboundGate(metrics, settings.transport().inboundQueueSize());
    this.subscribers =
        new Subscribers(metrics, settings.publishToEventStream() ? context.getSystem() : null);
    this.links =
        context.spawn(
            resumeOnFailure(
                LinkManager.Command.class,
                "links",
                LinkManager.create(
                    settings,
                    codec,
                    metrics,
                    tls == null ? null : new TlsLinks(tls),
                    registry,
                    gate,
                    context.messageAdapter(LinkManager.BindOutcome.class, WrappedBind::new))),
            "links",
            GossipDispatcher.ACTORS);
  }

  /**
   * A bug in one input must not take the node down: it is reported ({@link ReportFailures}),
   * logged, and the actor goes on.
   */
  private <T> Behavior<T> resumeOnFailure(Class<T> type, String name, Behavior<T> behavior) {
    return Behaviors.supervise(
            Behaviors.intercept(
                () -> new ReportFailures<>(type, name, metrics, subscribers), behavior))
        .onFailure(SupervisorStrategy.resume());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GetStarted.class, this::onGetStarted)
        .onMessage(WrappedBind.class, this::onBind)
        .onMessage(WrappedEvent.class, w -> onEvent(w.event()))
        .onMessage(BroadcastDone.class, this::onBroadcastDone)
        .onMessage(SubscriberTerminated.class, t -> onUnsubscribe(new Unsubscribe(t.subscriber())))
        .onMessage(GetMetrics.class, this::onGetMetrics)
        .onMessage(ReloadTls.class, this::onReloadTls)
        .onMessageEquals(PollTls.INSTANCE, this::onPollTls)
        .onAnyMessage(this::whenRunning)
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  /**
   * Calls made after this fail at once with a {@link NodeStoppedException}, not a timeout, and the
   * gauges say the node has nothing left.
   */
  private Behavior<Command> onPostStop() {
    if (broadcaster != null) {
      broadcaster.stopped();
    }
    metrics.stopped();
    return this;
  }

  /** Commands that need the roles wait in the stash until they are up. */
  private Behavior<Command> whenRunning(Command command) {
    if (wiring == null) {
      stash.stash(command);
      return Behaviors.same();
    }
    if (command instanceof Join j) {
      return onJoin(j);
    } else if (command instanceof Broadcast b) {
      return onBroadcast(b);
    } else if (command == Leave.INSTANCE) {
      return onLeave(null);
    } else if (command instanceof LeaveAndReply l) {
      return onLeave(l.replyTo());
    } else if (command instanceof Subscribe s) {
      return onSubscribe(s);
    } else if (command instanceof Unsubscribe u) {
      return onUnsubscribe(u);
    } else if (command instanceof SubscribeQueue q) {
      subscribers.add(q.queue());
      return Behaviors.same();
    }
    return Behaviors.unhandled();
  }

  private Behavior<Command> onGetStarted(GetStarted g) {
    if (wiring == null) {
      waitingForStart.add(g.replyTo());
    } else {
      g.replyTo().tell(StatusReply.success(started()));
    }
    return Behaviors.same();
  }

  /** Answers the start request with the bind failure, then stops. */
  private static Behavior<Command> failedToStart(BindFailedException error) {
    return Behaviors.receive(Command.class)
        .onMessage(
            GetStarted.class,
            g -> {
              g.replyTo().tell(StatusReply.error(error));
              return Behaviors.stopped();
            })
        .build();
  }

  private Started started() {
    return new Started(
        self, settings.maxPayloadSize(), metrics::snapshot, views::get, broadcaster, subscribers);
  }

  private Behavior<Command> onBind(WrappedBind w) {
    LinkManager.BindOutcome outcome = w.outcome();
    if (outcome.failure() != null) {
      BindFailedException error =
          new BindFailedException(settings.host(), settings.port(), outcome.failure());
      getContext().getLog().error(error.getMessage());
      if (!waitingForStart.isEmpty()) {
        waitingForStart.forEach(r -> r.tell(StatusReply.error(error)));
        return Behaviors.stopped();
      }
      // The start request may still be on its way (the bind can fail before it is even sent):
      // stopping now would answer it with "recipient terminated" instead of this error.
      return failedToStart(error);
    }
    // The incarnation tells this run from earlier ones on the same address.
    long incarnation =
        System.currentTimeMillis() * 1000 + ThreadLocalRandom.current().nextInt(1000) + 1;
    self = new NodeId(settings.advertisedHost(), outcome.bound().getPort(), incarnation);
    RoleNode node = new RoleNode(self, settings.protocol(), codec, metrics, gate);
    ActorRef<DisseminationActor.Command> dissemination =
        spawnRole(
            DisseminationActor.Command.class,
            DisseminationActor.create(node, settings.maxPendingConfirmations()),
            "dissemination");
    // By Role ordinal.
    List<ActorRef<RoleCommand>> roles =
        List.of(
            spawnRole(
                    MembershipActor.Command.class,
                    MembershipActor.create(node, views),
                    "membership")
                .narrow(),
            dissemination.narrow(),
            spawnRole(RecoveryActor.Command.class, RecoveryActor.create(node), "recovery").narrow(),
            spawnRole(HeartbeatActor.Command.class, HeartbeatActor.create(node), "heartbeat")
                .narrow());
    wiring = new Wiring(roles, links, registry, subscribers, userEvents);
    broadcaster = new Broadcaster(dissemination, settings.maxPayloadSize());
    roles.forEach(r -> r.tell(new RoleCommand.Wire(wiring)));
    links.tell(new LinkManager.Wire(self, wiring));
    wiring.route(Start.INSTANCE);
    getContext().getLog().info("gossip node {} started", self);
    waitingForStart.forEach(r -> r.tell(StatusReply.success(started())));
    waitingForStart.clear();
    return stash.unstashAll(this);
  }

  private <T> ActorRef<T> spawnRole(Class<T> type, Behavior<T> role, String name) {
    return getContext().spawn(resumeOnFailure(type, name, role), name, GossipDispatcher.ACTORS);
  }

  private Behavior<Command> onJoin(Join j) {
    if (broadcaster.hasLeft()) {
      j.replyTo().tell(StatusReply.error(new LeftOverlayException()));
      return Behaviors.same();
    }
    broadcaster.joined();
    failedRounds = 0;
    // This node's own address among the contacts (one config for every node) is no contact.
    List<NodeId> contacts = j.contacts().stream().filter(c -> !c.sameAddress(self)).toList();
    if (contacts.isEmpty() || neighbors > 0) {
      j.replyTo().tell(StatusReply.ack());
    } else {
      pendingJoins.add(j.replyTo());
    }
    wiring.route(new JoinOverlay(contacts));
    return Behaviors.same();
  }

  private Behavior<Command> onBroadcast(Broadcast b) {
    if (b.payload() == null) {
      b.replyTo().tell(StatusReply.error(new NullPointerException("payload")));
      return Behaviors.same();
    }
    getContext()
        .pipeToSelf(
            broadcaster.broadcast(b.payload()),
            (id, failure) -> new BroadcastDone(id, failure, b.replyTo()));
    return Behaviors.same();
  }

  private Behavior<Command> onBroadcastDone(BroadcastDone d) {
    d.replyTo()
        .tell(d.failure() == null ? StatusReply.success(d.id()) : StatusReply.error(d.failure()));
    return Behaviors.same();
  }

  private Behavior<Command> onLeave(ActorRef<StatusReply<Done>> replyTo) {
    if (!left) {
      left = true;
      broadcaster.left();
      wiring.route(dev.gossip.core.membership.Leave.INSTANCE);
    }
    if (replyTo != null) {
      // Through membership, so that the flush request reaches the links after its Close commands.
      wiring
          .role(Role.MEMBERSHIP)
          .tell(new RoleCommand.Relay<>(links, new LinkManager.Flush(replyTo)));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onSubscribe(Subscribe s) {
    subscribers.add(s.subscriber());
    if (watched.add(s.subscriber())) {
      getContext().watchWith(s.subscriber(), new SubscriberTerminated(s.subscriber()));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onUnsubscribe(Unsubscribe u) {
    subscribers.remove(u.subscriber());
    if (watched.remove(u.subscriber())) {
      getContext().unwatch(u.subscriber());
    }
    return Behaviors.same();
  }

  private Behavior<Command> onReloadTls(ReloadTls r) {
    if (tls == null) {
      r.replyTo()
          .tell(StatusReply.error(new IllegalStateException("TLS is off (gossip.tls.enabled)")));
      return Behaviors.same();
    }
    try {
      reloadTls("on command");
      r.replyTo().tell(StatusReply.ack());
    } catch (InvalidSettingException e) {
      r.replyTo().tell(StatusReply.error(e));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onPollTls() {
    if (tls.changed()) {
      try {
        reloadTls("after a file change");
      } catch (InvalidSettingException e) {
        // Logged and counted; the next change of the files is tried again.
      }
    }
    return Behaviors.same();
  }

  /** Swaps in new key material for new connections; open links keep theirs. */
  private void reloadTls(String why) {
    try {
      tls.reload();
    } catch (InvalidSettingException e) {
      metrics.tlsReloadFailures.increment();
      getContext()
          .getLog()
          .warn("TLS key material not reloaded {}, the old stays: {}", why, e.getMessage());
      throw e;
    }
    metrics.tlsReloads.increment();
    getContext().getLog().info("TLS key material reloaded {}", why);
  }

  private Behavior<Command> onGetMetrics(GetMetrics g) {
    g.replyTo().tell(metrics.snapshot());
    return Behaviors.same();
  }

  private Behavior<Command> onEvent(Output event) {
    if (event instanceof dev.gossip.core.NeighborUp up) {
      neighbors++;
      failedRounds = 0;
      pendingJoins.forEach(r -> r.tell(StatusReply.ack()));
      pendingJoins.clear();
      subscribers.publish(new GossipEvent.NeighborUp(up.peer()));
    } else if (event instanceof dev.gossip.core.NeighborDown down) {
      neighbors = Math.max(0, neighbors - 1);
      subscribers.publish(new GossipEvent.NeighborDown(down.peer(), down.reason()));
    } else if (event instanceof ContactsUnreachable u) {
      List<String> tried =
          u.tried().stream().map(id -> id.host() + ":" + id.port()).distinct().toList();
      if (neighbors == 0) {
        getContext().getLog().warn("no contact reachable, tried {}; retrying with backoff", tried);
      } else {
        // Still linked: a node short of neighbours looking for more, not a node cut off.
        getContext().getLog().debug("none of {} answered; looking for more neighbours", tried);
      }
      if (++failedRounds >= JOIN_ROUNDS) {
        pendingJoins.forEach(
            r -> r.tell(StatusReply.error(new NoContactReachableException(tried))));
        pendingJoins.clear();
      }
    }
    return Behaviors.same();
  }
}
