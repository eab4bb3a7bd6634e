package dev.gossip.pekko;

import dev.gossip.core.InvalidSettingException;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import dev.gossip.core.Role;
import dev.gossip.core.Start;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.membership.ContactsUnreachable;
import dev.gossip.core.membership.JoinOverlay;
import dev.gossip.pekko.internal.Codec;
import dev.gossip.pekko.internal.LinkManager;
import dev.gossip.pekko.internal.NodeMetrics;
import dev.gossip.pekko.internal.RoleActor;
import dev.gossip.pekko.internal.Wiring;
import dev.gossip.pekko.internal.tls.TlsContext;
import dev.gossip.pekko.internal.tls.TlsLinks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;

/**
 * One gossip node: binds the peer listener, then runs one child actor per protocol role
 * (membership, dissemination, recovery, heartbeat) and the link manager, wired together with
 * message adapters. It takes the user's commands and publishes deliveries and membership events to
 * actor subscribers, the ActorSystem's event stream and {@code Source} subscriptions.
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

  /** The running node's identity, its payload limit and its metrics. */
  public record Started(NodeId self, int maxPayloadSize, Supplier<MetricsSnapshot> metrics) {}

  /**
   * Join through these contacts (an empty list starts a new overlay). Replies when the first
   * neighbour is up, or with a {@link NoContactReachableException} after {@value #JOIN_ROUNDS}
   * rounds of contacts failed in a row (the node keeps retrying).
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

  /** Leave the overlay: neighbours are told, and the node stops taking part. */
  public enum Leave implements Command {
    INSTANCE
  }

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

  private record WrappedReady(RoleActor.Ready ready) implements Command {}

  private record WrappedEvent(Output event) implements Command {}

  private record SubscriberTerminated(ActorRef<GossipEvent> subscriber) implements Command {}

  private enum PollTls implements Command {
    INSTANCE
  }

  /** A Source subscription and what it missed since its last successful offer. */
  private static final class QueueSubscription {
    final BoundedSourceQueue<GossipEvent> queue;
    long missed;
    long missedDeliveries;

    QueueSubscription(BoundedSourceQueue<GossipEvent> queue) {
      this.queue = queue;
    }
  }

  private final NodeSettings settings;
  private final StashBuffer<Command> stash;
  private final NodeMetrics metrics;
  private final Codec codec;
  private final TlsContext tls;
  private final ActorRef<LinkManager.Command> links;
  private final ActorRef<Output> userEvents;
  private final Map<Role, RoleActor.Ready> roles = new EnumMap<>(Role.class);
  private final List<ActorRef<StatusReply<Started>>> waitingForStart = new ArrayList<>();
  private final List<ActorRef<StatusReply<Done>>> pendingJoins = new ArrayList<>();
  private final Set<ActorRef<GossipEvent>> subscribers = new LinkedHashSet<>();
  private final List<QueueSubscription> queues = new ArrayList<>();
  private NodeId self;
  private Wiring wiring;
  private int neighbors;
  private boolean joined;
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
    this.links =
        context.spawn(
            resumeOnFailure(
                LinkManager.create(
                    settings,
                    codec,
                    metrics,
                    tls == null ? null : new TlsLinks(tls),
                    context.messageAdapter(LinkManager.BindOutcome.class, WrappedBind::new))),
            "links");
  }

  /** A bug in one input must not take the node down: it is logged and the actor goes on. */
  private static <T> Behavior<T> resumeOnFailure(Behavior<T> behavior) {
    return Behaviors.supervise(behavior).onFailure(SupervisorStrategy.resume());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GetStarted.class, this::onGetStarted)
        .onMessage(WrappedBind.class, this::onBind)
        .onMessage(WrappedReady.class, this::onReady)
        .onMessage(WrappedEvent.class, w -> onEvent(w.event()))
        .onMessage(SubscriberTerminated.class, t -> onUnsubscribe(new Unsubscribe(t.subscriber())))
        .onMessage(GetMetrics.class, this::onGetMetrics)
        .onMessage(ReloadTls.class, this::onReloadTls)
        .onMessageEquals(PollTls.INSTANCE, this::onPollTls)
        .onAnyMessage(this::whenRunning)
        .build();
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
      return onLeave();
    } else if (command instanceof Subscribe s) {
      return onSubscribe(s);
    } else if (command instanceof Unsubscribe u) {
      return onUnsubscribe(u);
    } else if (command instanceof SubscribeQueue q) {
      queues.add(new QueueSubscription(q.queue()));
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
    return new Started(self, settings.maxPayloadSize(), metrics::snapshot);
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
    ActorRef<RoleActor.Ready> ready =
        getContext().messageAdapter(RoleActor.Ready.class, WrappedReady::new);
    for (Role role : Role.values()) {
      getContext()
          .spawn(
              resumeOnFailure(
                  RoleActor.create(
                      role,
                      self,
                      settings.protocol(),
                      codec,
                      metrics,
                      settings.transport().inboundQueueSize(),
                      ready)),
              role.name().toLowerCase(java.util.Locale.ROOT));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onReady(WrappedReady w) {
    roles.put(w.ready().role(), w.ready());
    if (roles.size() < Role.values().length) {
      return Behaviors.same();
    }
    wiring =
        new Wiring(
            roles.get(Role.MEMBERSHIP).inputs(),
            roles.get(Role.DISSEMINATION).inputs(),
            roles.get(Role.RECOVERY).inputs(),
            roles.get(Role.HEARTBEAT).inputs(),
            links,
            userEvents);
    roles.values().forEach(r -> r.actor().tell(new RoleActor.Wire(wiring)));
    links.tell(new LinkManager.Wire(self, wiring));
    wiring.route(Start.INSTANCE);
    getContext().getLog().info("gossip node {} started", self);
    waitingForStart.forEach(r -> r.tell(StatusReply.success(started())));
    waitingForStart.clear();
    return stash.unstashAll(this);
  }

  private Behavior<Command> onJoin(Join j) {
    if (left) {
      j.replyTo().tell(StatusReply.error(new NotJoinedException("has left the overlay")));
      return Behaviors.same();
    }
    joined = true;
    failedRounds = 0;
    if (j.contacts().isEmpty() || neighbors > 0) {
      j.replyTo().tell(StatusReply.ack());
    } else {
      pendingJoins.add(j.replyTo());
    }
    wiring.route(new JoinOverlay(j.contacts()));
    return Behaviors.same();
  }

  private Behavior<Command> onBroadcast(Broadcast b) {
    if (!joined || left) {
      b.replyTo()
          .tell(
              StatusReply.error(
                  new NotJoinedException(left ? "has left the overlay" : "has not joined")));
    } else if (b.payload().length > settings.maxPayloadSize()) {
      b.replyTo()
          .tell(
              StatusReply.error(
                  new PayloadTooLargeException(b.payload().length, settings.maxPayloadSize())));
    } else {
      roles.get(Role.DISSEMINATION).actor().tell(new RoleActor.Broadcast(b.payload(), b.replyTo()));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onLeave() {
    if (!left) {
      left = true;
      wiring.route(dev.gossip.core.membership.Leave.INSTANCE);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onSubscribe(Subscribe s) {
    if (subscribers.add(s.subscriber())) {
      getContext().watchWith(s.subscriber(), new SubscriberTerminated(s.subscriber()));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onUnsubscribe(Unsubscribe u) {
    if (subscribers.remove(u.subscriber())) {
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
    if (event instanceof Delivered d) {
      publish(new GossipEvent.Delivery(d.id(), d.id().origin(), d.payload(), d.hops()));
    } else if (event instanceof dev.gossip.core.NeighborUp up) {
      neighbors++;
      failedRounds = 0;
      pendingJoins.forEach(r -> r.tell(StatusReply.ack()));
      pendingJoins.clear();
      publish(new GossipEvent.NeighborUp(up.peer()));
    } else if (event instanceof dev.gossip.core.NeighborDown down) {
      neighbors = Math.max(0, neighbors - 1);
      publish(new GossipEvent.NeighborDown(down.peer(), down.reason()));
    } else if (event instanceof ContactsUnreachable u) {
      List<String> tried =
          u.tried().stream().map(id -> id.host() + ":" + id.port()).distinct().toList();
      getContext().getLog().warn("no contact reachable, tried {}; retrying with backoff", tried);
      if (++failedRounds >= JOIN_ROUNDS) {
        pendingJoins.forEach(
            r -> r.tell(StatusReply.error(new NoContactReachableException(tried))));
        pendingJoins.clear();
      }
    }
    return Behaviors.same();
  }

  private void publish(GossipEvent event) {
    for (ActorRef<GossipEvent> subscriber : subscribers) {
      subscriber.tell(event);
    }
    getContext().getSystem().eventStream().tell(new EventStream.Publish<>(event));
    Iterator<QueueSubscription> it = queues.iterator();
    while (it.hasNext()) {
      QueueSubscription sub = it.next();
      if (!offer(sub, event)) {
        it.remove();
      }
    }
  }

  private void missed(QueueSubscription sub, GossipEvent event) {
    sub.missed++;
    if (event instanceof GossipEvent.Delivery) {
      sub.missedDeliveries++;
    }
    metrics.subscriberLag.increment();
  }

  /** Offers an event to a Source subscription; false once the subscription has ended. */
  private boolean offer(QueueSubscription sub, GossipEvent event) {
    try {
      if (sub.missed > 0) {
        QueueOfferResult r =
            sub.queue.offer(new GossipEvent.Missed(sub.missed, sub.missedDeliveries));
        if (r == QueueOfferResult.enqueued()) {
          sub.missed = 0;
          sub.missedDeliveries = 0;
        } else if (r == QueueOfferResult.dropped()) {
          missed(sub, event);
          return true;
        } else {
          return false;
        }
      }
      QueueOfferResult r = sub.queue.offer(event);
      if (r == QueueOfferResult.dropped()) {
        missed(sub, event);
        return true;
      }
      return r == QueueOfferResult.enqueued();
    } catch (IllegalStateException streamEnded) {
      return false;
    }
  }
}
