package dev.gossip.pekko.internal.role;

import dev.gossip.core.Close;
import dev.gossip.core.Connect;
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
import dev.gossip.core.dissemination.RequestGraft;
import dev.gossip.core.membership.ContactsUnreachable;
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
import dev.gossip.pekko.internal.NodeMetrics;
import dev.gossip.pekko.internal.Wiring;
import dev.gossip.pekko.internal.link.InboundGate;
import dev.gossip.pekko.internal.link.LinkManager;
import dev.gossip.pekko.internal.wire.Codec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;

/**
 * Drives one role's core state machine for its actor, the same way {@link
 * dev.gossip.core.ProtocolNode} wires the roles: inputs in, outputs routed by the core's {@link
 * Routing}. Send is encoded into the peer's link queue through the {@link
 * dev.gossip.pekko.internal.link.LinkRegistry} (a Gossip pushed to several eager peers is encoded
 * once), Connect and Close go to the link manager, Schedule onto the actor's timers keyed by the
 * timer value (a rescheduled timer replaces the pending one), deliveries to the {@link
 * dev.gossip.pekko.internal.Subscribers} directly, and the membership events the node tracks to the
 * node actor. Events for other roles are collected while the actor handles one command and sent as
 * one {@link RoleCommand.HandleAll} per role after it.
 *
 * <p>At DEBUG it logs the protocol events worth watching as they leave the role: neighbours up
 * (with what let them in) and down (with the reason), Join walks, Neighbor requests, shuffles,
 * Graft (an announcement that did not arrive in time, or a shorter path) and Prune, and per Digest
 * how many messages anti-entropy resent. Gossip and IHave are not logged; with DEBUG off, an output
 * costs one boolean check.
 */
final class RoleDriver {

  private final Role.StateMachine machine;
  private final Runnable gauges;
  private final BiConsumer<Timer, Duration> timers;
  private final Codec codec;
  private final NodeMetrics metrics;
  private final InboundGate gate;
  private final Outbox outbox = this::route;
  private final NodeId self;
  private final ActorContext<?> context;

  /** For the level check only: lines go through the context's logger, which sets the MDC. */
  private final Logger log;

  /** Whether DEBUG was on when the input being handled arrived. */
  private boolean debug;

  /** The input being handled, for what the DEBUG lines say caused an output. */
  private Input handling;

  /** Recovered messages sent while handling the current input (a Digest's resends). */
  private int resent;

  /** Events for other roles emitted while handling the current command, by role ordinal. */
  private final List<List<Input>> events = new ArrayList<>();

  /**
   * Membership events for the node actor emitted while handling the current command, told after the
   * roles' batches: the roles know of a neighbour before {@code join()} completes, so a broadcast
   * that asks neighbours to confirm it finds them.
   */
  private final List<Output> forNode = new ArrayList<>(2);

  private Wiring wiring;

  /**
   * The last message encoded and its frame: a Gossip pushed to every eager peer is encoded once.
   */
  private Message lastMessage;

  private ByteString lastFrame;

  RoleDriver(
      ActorContext<?> context,
      BiConsumer<Timer, Duration> timers,
      Role.StateMachine machine,
      Runnable gauges,
      RoleNode node) {
    this.timers = timers;
    this.machine = machine;
    this.gauges = gauges;
    this.self = node.self();
    this.codec = node.codec();
    this.metrics = node.metrics();
    this.gate = node.gate();
    this.context = context;
    this.log = context.getLog();
    for (int i = 0; i < Role.values().length; i++) {
      events.add(null);
    }
  }

  /** Handles a command every role takes. */
  void on(RoleCommand command) {
    if (command instanceof RoleCommand.Frames f) {
      onFrames(f);
    } else if (command instanceof RoleCommand.HandleAll all) {
      onInputs(all.inputs());
    } else if (command instanceof RoleCommand.Handle h) {
      onInputs(List.of(h.input()));
    } else if (command instanceof RoleCommand.TimerFired t) {
      onInputs(List.of(new TimerExpired(t.timer())));
    } else if (command instanceof RoleCommand.Wire w) {
      wiring = w.wiring();
    } else if (command instanceof RoleCommand.Relay<?> r) {
      relay(r);
    }
  }

  private static <T> void relay(RoleCommand.Relay<T> r) {
    r.target().tell(r.message());
  }

  Wiring wiring() {
    return wiring;
  }

  /** Handles the peer messages of one read; they leave the inbound queue even if one fails. */
  private void onFrames(RoleCommand.Frames f) {
    try {
      long now = System.nanoTime();
      for (Message message : f.messages()) {
        handle(new Received(f.from(), message), now);
      }
    } finally {
      gate.handled(f.messages().size());
      afterCommand();
    }
  }

  void onInputs(List<Input> inputs) {
    try {
      long now = System.nanoTime();
      for (Input input : inputs) {
        handle(input, now);
      }
    } finally {
      afterCommand();
    }
  }

  /**
   * Broadcasts through the dissemination role's Plumtree, asking for {@code acks} acks (0: none);
   * outputs as for any input.
   */
  MessageId broadcast(Plumtree plumtree, byte[] payload, int acks) {
    debug = false;
    try {
      return plumtree.broadcast(payload, acks, System.nanoTime(), outbox);
    } finally {
      afterCommand();
    }
  }

  private void handle(Input input, long now) {
    debug = log.isDebugEnabled();
    if (debug) {
      handling = input;
      resent = 0;
    }
    machine.handle(input, now, outbox);
    if (debug && resent > 0 && input instanceof Received r && r.message() instanceof Digest) {
      context
          .getLog()
          .debug("anti-entropy: resent {} message(s) missing from {}'s digest", resent, r.from());
    }
  }

  /** Gauges, then the events for other roles, one batch per role, then those for the node. */
  private void afterCommand() {
    handling = null;
    gauges.run();
    for (int i = 0; i < events.size(); i++) {
      List<Input> batch = events.get(i);
      if (batch != null) {
        events.set(i, null);
        wiring.roles().get(i).tell(new RoleCommand.HandleAll(batch));
      }
    }
    if (!forNode.isEmpty()) {
      forNode.forEach(wiring.user()::tell);
      forNode.clear();
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
      timers.accept(s.timer(), s.delay());
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
      forNode.add(output);
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
      context
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
      context.getLog().debug("neighbour up {}: {}", up.peer(), whyUp(up.peer()));
    } else if (output instanceof NeighborDown down) {
      context.getLog().debug("neighbour down {}: {}", down.peer(), down.reason());
    }
  }

  private String pruneReason() {
    if (handling instanceof Received r && r.message() instanceof Gossip) {
      return "a duplicate came by it";
    }
    return handling instanceof RequestGraft
        ? "a fetch: the Graft only asks for the message"
        : "a shorter path replaces it";
  }

  private void logSend(NodeId to, Message message) {
    if (message instanceof Gossip || message instanceof IHave || message instanceof Digest) {
      return;
    }
    Logger logger = context.getLog();
    if (message instanceof Recovered) {
      resent++;
    } else if (message instanceof Graft g) {
      if (g.ids().isEmpty()) {
        logger.debug("graft sent to {}: a shorter path, into {}'s tree", to, g.origin());
      } else {
        logger.debug(
            "graft sent to {}: it announced {}, which did not arrive in time", to, g.ids());
      }
    } else if (message instanceof Prune p) {
      logger.debug("prune sent to {}: out of {}'s tree ({})", to, p.origin(), pruneReason());
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
