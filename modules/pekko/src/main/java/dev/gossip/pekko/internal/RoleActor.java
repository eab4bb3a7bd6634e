package dev.gossip.pekko.internal;

import dev.gossip.core.Close;
import dev.gossip.core.Connect;
import dev.gossip.core.GossipSettings;
import dev.gossip.core.Input;
import dev.gossip.core.MessageId;
import dev.gossip.core.NeighborDown;
import dev.gossip.core.NeighborUp;
import dev.gossip.core.NodeId;
import dev.gossip.core.Outbox;
import dev.gossip.core.Output;
import dev.gossip.core.Received;
import dev.gossip.core.Role;
import dev.gossip.core.Routing;
import dev.gossip.core.Schedule;
import dev.gossip.core.Send;
import dev.gossip.core.Timer;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.dissemination.Plumtree;
import dev.gossip.core.heartbeat.HeardFrom;
import dev.gossip.core.heartbeat.Heartbeat;
import dev.gossip.core.heartbeat.HeartbeatTick;
import dev.gossip.core.membership.ContactsUnreachable;
import dev.gossip.core.membership.HyParView;
import dev.gossip.core.message.Digest;
import dev.gossip.core.message.Disconnect;
import dev.gossip.core.message.ForwardJoin;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Graft;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.Join;
import dev.gossip.core.message.Message;
import dev.gossip.core.message.Neighbor;
import dev.gossip.core.message.NeighborReply;
import dev.gossip.core.message.Prune;
import dev.gossip.core.message.Recovered;
import dev.gossip.core.message.Shuffle;
import dev.gossip.core.message.ShuffleReply;
import dev.gossip.core.recovery.Recovery;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;

/**
 * One protocol role of a node (membership, dissemination, recovery or heartbeat) driving its core
 * class. Peer messages arrive straight from the links' inbound streams, a socket read's worth per
 * {@link Frames}; events of other roles arrive batched, one {@link HandleAll} per input handled
 * there. Outputs are routed as {@link dev.gossip.core.ProtocolNode} routes them: Send encoded into
 * the peer's link queue through the {@link LinkRegistry} (a Gossip pushed to several eager peers is
 * encoded once), Connect and Close to the link manager, Schedule onto this actor's {@link
 * TimerScheduler} keyed by the timer value (so a rescheduled timer replaces the pending one),
 * deliveries to the {@link Subscribers} directly, and the membership events the node tracks to the
 * node actor. Only the dissemination role takes a {@link Broadcast}.
 *
 * <p>At DEBUG it logs the protocol events worth watching as they leave the role: neighbours up
 * (with what let them in) and down (with the reason), Join walks, Neighbor requests, shuffles,
 * Graft (an announcement that did not arrive in time, or a shorter path) and Prune, and per Digest
 * how many messages anti-entropy resent. Gossip and IHave are not logged; with DEBUG off, an output
 * costs one boolean check.
 */
public final class RoleActor extends AbstractBehavior<RoleActor.Command> {

  /** What a role actor takes. */
  public sealed interface Command {}

  /** Sent by the node once every role is up: where outputs go. */
  public record Wire(Wiring wiring) implements Command {}

  /** Peer messages from one socket read of one link, all for this role. */
  public record Frames(NodeId from, List<Message> messages) implements Command {}

  /** One input from the node, the link manager or another role. */
  public record Handle(Input input) implements Command {}

  /** Dissemination only: broadcast a payload; {@code done}, if not null, gets its id. */
  public record Broadcast(byte[] payload, CompletableFuture<MessageId> done) implements Command {}

  /** The events another role emitted for this one while handling one input, in order. */
  private record HandleAll(List<Input> inputs) implements Command {}

  private record TimerFired(Timer timer) implements Command {}

  /** Told to the node when this role is up. */
  public record Ready(Role role, ActorRef<Command> actor) {}

  private final Role role;

  /** The core class this actor drives, and how it reports its gauges. */
  private final Role.StateMachine machine;

  private final Consumer<NodeMetrics> gauges;
  private final TimerScheduler<Command> timers;
  private final Codec codec;
  private final NodeMetrics metrics;
  private final InboundGate gate;
  private final Plumtree plumtree;
  private final Outbox outbox = this::route;
  private final NodeId self;

  /** For the level check only: logging goes through getLog(), which sets the actor's MDC. */
  private final Logger log;

  /** Whether DEBUG was on when the input being handled arrived. */
  private boolean debug;

  /** The input being handled, for what the DEBUG lines say caused an output. */
  private Input handling;

  /** Recovered messages sent while handling the current input (a Digest's resends). */
  private int resent;

  /** Events for other roles emitted while handling the current command, by role ordinal. */
  private final List<List<Input>> events = new ArrayList<>();

  private Wiring wiring;

  /**
   * The last message encoded and its frame: a Gossip pushed to every eager peer is encoded once.
   */
  private Message lastMessage;

  private ByteString lastFrame;

  public static Behavior<Command> create(
      Role role,
      NodeId self,
      GossipSettings settings,
      Codec codec,
      NodeMetrics metrics,
      InboundGate gate,
      ActorRef<Ready> ready) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new RoleActor(
                        context, timers, role, self, settings, codec, metrics, gate, ready)));
  }

  private RoleActor(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Role role,
      NodeId self,
      GossipSettings settings,
      Codec codec,
      NodeMetrics metrics,
      InboundGate gate,
      ActorRef<Ready> ready) {
    super(context);
    this.role = role;
    this.timers = timers;
    this.codec = codec;
    this.metrics = metrics;
    this.gate = gate;
    this.self = self;
    this.log = context.getLog();
    for (int i = 0; i < Role.values().length; i++) {
      events.add(null);
    }
    SplittableRandom random = new SplittableRandom();
    Plumtree dissemination = null;
    switch (role) {
      case MEMBERSHIP -> {
        HyParView hyParView = new HyParView(self, settings.membership(), random);
        machine = hyParView;
        gauges =
            m -> {
              m.activeViewSize = hyParView.activeView().size();
              m.passiveViewSize = hyParView.passiveView().size();
            };
      }
      case DISSEMINATION -> {
        Plumtree p = new Plumtree(self, settings.dissemination());
        dissemination = p;
        machine =
            (input, now, out) -> {
              if (input instanceof Received r && r.message() instanceof Gossip g) {
                long before = p.duplicates();
                p.handle(input, now, out);
                metrics.gossipReceived(p.duplicates() > before, g.round());
              } else {
                p.handle(input, now, out);
              }
            };
        gauges =
            m -> {
              m.eagerPeers = p.eagerPeers().size();
              m.lazyPeers = p.lazyPeers().size();
              m.duplicates = p.duplicates();
            };
      }
      case RECOVERY -> {
        machine = new Recovery(settings.recovery(), random);
        gauges = m -> {};
      }
      case HEARTBEAT -> {
        machine = new Heartbeat(settings.heartbeat());
        gauges = m -> {};
      }
      default -> throw new IllegalArgumentException("unknown role " + role);
    }
    this.plumtree = dissemination;
    ready.tell(new Ready(role, context.getSelf()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Wire.class, this::onWire)
        .onMessage(Frames.class, this::onFrames)
        .onMessage(Handle.class, h -> onInputs(List.of(h.input())))
        .onMessage(HandleAll.class, h -> onInputs(h.inputs()))
        .onMessage(TimerFired.class, this::onTimer)
        .onMessage(Broadcast.class, this::onBroadcast)
        .build();
  }

  private Behavior<Command> onWire(Wire w) {
    wiring = w.wiring();
    return Behaviors.same();
  }

  private Behavior<Command> onFrames(Frames f) {
    try {
      long now = System.nanoTime();
      for (Message message : f.messages()) {
        handle(new Received(f.from(), message), now);
      }
    } finally {
      // The messages leave the inbound queue even if handling one failed.
      gate.handled(f.messages().size());
      afterCommand();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onInputs(List<Input> inputs) {
    try {
      long now = System.nanoTime();
      for (Input input : inputs) {
        handle(input, now);
      }
    } finally {
      afterCommand();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onTimer(TimerFired t) {
    try {
      long now = System.nanoTime();
      if (t.timer() == HeartbeatTick.INSTANCE) {
        // Data frames are not routed here one by one: each link's last read is its sign of life.
        wiring.registry().forEachLastRead((peer, at) -> handle(new HeardFrom(peer, at), now));
      }
      handle(new TimerExpired(t.timer()), now);
    } finally {
      afterCommand();
    }
    return Behaviors.same();
  }

  private void handle(Input input, long now) {
    debug = log.isDebugEnabled();
    if (debug) {
      handling = input;
      resent = 0;
    }
    machine.handle(input, now, outbox);
    if (debug && resent > 0 && input instanceof Received r && r.message() instanceof Digest) {
      getContext()
          .getLog()
          .debug("anti-entropy: resent {} message(s) missing from {}'s digest", resent, r.from());
    }
  }

  /** Gauges, then the events for other roles, one batch per role. */
  private void afterCommand() {
    handling = null;
    gauges.accept(metrics);
    for (int i = 0; i < events.size(); i++) {
      List<Input> batch = events.get(i);
      if (batch != null) {
        events.set(i, null);
        wiring.roles().get(i).tell(new HandleAll(batch));
      }
    }
  }

  private Behavior<Command> onBroadcast(Broadcast b) {
    if (plumtree == null) {
      fail(b, new IllegalStateException("broadcast sent to the " + role + " role"));
      return Behaviors.same();
    }
    debug = false;
    try {
      MessageId id = plumtree.broadcast(b.payload(), System.nanoTime(), outbox);
      if (b.done() != null) {
        b.done().complete(id);
      }
    } catch (RuntimeException e) {
      fail(b, e);
      throw e;
    } finally {
      afterCommand();
    }
    return Behaviors.same();
  }

  private static void fail(Broadcast b, Throwable failure) {
    if (b.done() != null) {
      b.done().completeExceptionally(failure);
    }
  }

  /** Events to the roles that handle them, by the core's {@link Routing}; the rest out. */
  private void route(Output output) {
    if (debug) {
      logOutput(output);
    }
    if (output instanceof Input event) {
      for (Role target : Routing.handlers(event)) {
        List<Input> batch = events.get(target.ordinal());
        if (batch == null) {
          batch = new ArrayList<>(4);
          events.set(target.ordinal(), batch);
        }
        batch.add(event);
      }
    }
    if (!Routing.leavesNode(output)) {
      return;
    }
    if (output instanceof Send s) {
      transmit(s);
    } else if (output instanceof Schedule s) {
      timers.startSingleTimer(s.timer(), new TimerFired(s.timer()), s.delay());
    } else if (output instanceof Delivered d) {
      metrics.delivered.increment();
      wiring.subscribers().delivered(d);
    } else if (output instanceof Connect c) {
      wiring.links().tell(new LinkManager.Connect(c.peer()));
    } else if (output instanceof Close c) {
      wiring.links().tell(new LinkManager.Close(c.peer()));
    } else if (output instanceof NeighborUp
        || output instanceof NeighborDown
        || output instanceof ContactsUnreachable) {
      wiring.user().tell(output);
    }
  }

  private void transmit(Send s) {
    Message message = s.message();
    if (message != lastMessage) {
      lastFrame = codec.encode(message);
      lastMessage = message;
    }
    if (message instanceof IHave) {
      metrics.ihaveSent.increment();
    } else if (message instanceof Graft) {
      metrics.graftSent.increment();
    } else if (message instanceof Prune) {
      metrics.pruneSent.increment();
    }
    if (lastFrame.size() - 4 > codec.maxFrameSize()) {
      getContext()
          .getLog()
          .warn(
              "not sending {} to {}: {} bytes exceed gossip.transport.max-frame-size",
              message.getClass().getSimpleName(),
              s.to(),
              lastFrame.size() - 4);
      return;
    }
    wiring.registry().send(s.to(), lastFrame);
  }

  /** The DEBUG line of an output worth watching, if it is one. */
  private void logOutput(Output output) {
    if (output instanceof Send s) {
      logSend(s.to(), s.message());
    } else if (output instanceof NeighborUp up) {
      getContext().getLog().debug("neighbour up {}: {}", up.peer(), whyUp(up.peer()));
    } else if (output instanceof NeighborDown down) {
      getContext().getLog().debug("neighbour down {}: {}", down.peer(), down.reason());
    }
  }

  private void logSend(NodeId to, Message message) {
    if (message instanceof Gossip || message instanceof IHave || message instanceof Digest) {
      return;
    }
    Logger logger = getContext().getLog();
    if (message instanceof Recovered) {
      resent++;
    } else if (message instanceof Graft g) {
      if (g.ids().isEmpty()) {
        logger.debug("graft sent to {}: a shorter path, into the tree", to);
      } else {
        logger.debug(
            "graft sent to {}: it announced {}, which did not arrive in time", to, g.ids());
      }
    } else if (message instanceof Prune) {
      logger.debug(
          "prune sent to {}: out of the tree ({})",
          to,
          handling instanceof Received r && r.message() instanceof Gossip
              ? "a duplicate came by it"
              : "a shorter path replaces it");
    } else if (message instanceof Shuffle sh) {
      if (sh.origin().equals(self)) {
        logger.debug("shuffle sent to {} with {} ids", to, sh.nodes().size());
      } else {
        logger.debug("shuffle of {} forwarded to {}, ttl {}", sh.origin(), to, sh.ttl());
      }
    } else if (message instanceof ShuffleReply reply) {
      logger.debug("shuffle of {} answered with {} ids", to, reply.nodes().size());
    } else if (message instanceof Join) {
      logger.debug("Join sent to {}", to);
    } else if (message instanceof ForwardJoin fj) {
      logger.debug("ForwardJoin of {} sent to {}, ttl {}", fj.joiner(), to, fj.ttl());
    } else if (message instanceof Neighbor n) {
      logger.debug(
          "Neighbor request sent to {} ({} priority)", to, n.highPriority() ? "high" : "low");
    } else if (message instanceof NeighborReply reply && !reply.accepted()) {
      logger.debug("Neighbor request of {} refused: active view full", to);
    } else if (message instanceof Disconnect d) {
      logger.debug("Disconnect sent to {}{}", to, d.leaving() ? " (leaving)" : "");
    }
  }

  /** What let a peer into the active view, from the input being handled. */
  private String whyUp(NodeId peer) {
    if (handling instanceof Received r) {
      Message m = r.message();
      if (m instanceof Join) {
        return "accepted its Join";
      } else if (m instanceof ForwardJoin fj && fj.joiner().equals(peer)) {
        return "accepted its Join, forwarded by " + r.from();
      } else if (m instanceof Neighbor n) {
        return "accepted its Neighbor request ("
            + (n.highPriority() ? "high" : "low")
            + " priority)";
      } else if (m instanceof NeighborReply) {
        return "it accepted our Neighbor request";
      }
      return "on its " + m.getClass().getSimpleName();
    }
    return handling == null ? "" : "on " + handling.getClass().getSimpleName();
  }
}
