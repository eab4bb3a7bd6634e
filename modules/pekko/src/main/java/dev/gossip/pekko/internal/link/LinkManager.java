package dev.gossip.pekko.internal.link;

import dev.gossip.core.DownReason;
import dev.gossip.core.LinkFailed;
import dev.gossip.core.NodeId;
import dev.gossip.pekko.DropReason;
import dev.gossip.pekko.LinkFaults;
import dev.gossip.pekko.LinkFaultsExtension;
import dev.gossip.pekko.NodeSettings;
import dev.gossip.pekko.TlsRejection;
import dev.gossip.pekko.internal.GossipDispatcher;
import dev.gossip.pekko.internal.NodeMetrics;
import dev.gossip.pekko.internal.Wiring;
import dev.gossip.pekko.internal.fault.FaultStage;
import dev.gossip.pekko.internal.tls.PeerCertificate;
import dev.gossip.pekko.internal.tls.TlsLinks;
import dev.gossip.pekko.internal.wire.Codec;
import dev.gossip.pekko.internal.wire.FrameException;
import dev.gossip.pekko.internal.wire.FrameLimits;
import dev.gossip.pekko.internal.wire.Hello;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;

/**
 * The peer links of one node over Pekko Streams TCP.
 *
 * <p>Each connection is one stream: a bounded outbound queue, batched into larger writes while the
 * socket is busy, into the TCP flow, whose inbound bytes are cut into frames and decoded in the
 * stream and handed by its {@link InboundRouter} straight to the role actors. This actor owns the
 * connections' lifecycle, not their frames: it dials, checks each peer's {@link Hello}, decides
 * dial races, applies the per-peer limits, and publishes each usable link in the {@link
 * LinkRegistry}, through which the role actors queue frames without an actor in between; only
 * frames for a peer without a link (which it dials) and, with a fault stage, every frame come
 * through here. Both sides first send a {@link Hello} naming themselves. A peer in the active view
 * ({@link Connect}) keeps one connection used in both directions; when two nodes dial each other at
 * once, both keep the connection dialed by the lower node id and close the other after flushing it.
 * Other peers (Join contacts, Shuffle replies, Neighbor requests) get connections that close when
 * idle.
 *
 * <p>Failures reported to membership as {@link LinkFailed}: a connection that cannot be opened
 * (CONNECTION_LOST), an active-view link that breaks without a Disconnect (CONNECTION_LOST), and a
 * link whose outbound queue overflows (SLOW; the link is aborted). A refused frame closes its link
 * and is counted by reason, and logged at most once per reason per interval.
 *
 * <p>Per-peer limits ({@link NodeSettings.PeerLimits}) close a link the same way: accepted
 * connections per remote address (closed unread at accept), the time an accepted connection may
 * stay open outside the active view, the inbound frame rate per link ({@link FrameRate}, charged in
 * the {@link InboundRouter}), and the entries per frame ({@link FrameLimits}, checked in the stream
 * as frames are decoded).
 *
 * <p>Inbound is bounded end to end by the node's {@link InboundGate}: a connection whose frames
 * find the gate full stops reading its socket until the roles have worked the queue down to half.
 *
 * <p>A {@link LinkFaults} stage installed in the ActorSystem ({@link LinkFaultsExtension}) is a
 * layer of each connection's stream ({@link FaultStage}), which may drop or delay frames; this
 * actor asks it about every new connection, which it may refuse. Without one, the streams have no
 * such layer.
 *
 * <p>With TLS ({@link TlsLinks}) every connection is authenticated before its first frame is read;
 * the Hello must name a NodeId the peer's certificate names (and, on a dialed connection, the
 * address dialed), else the connection closes before the Hello reaches anyone. Refusals are counted
 * by {@link TlsRejection} and logged like refused frames.
 *
 * <p>At DEBUG it logs each link opened (after the Hello) and closed, with why, and each dial that
 * failed; nothing per frame.
 */
// Handlers and callbacks are Pekko's serializable function types, never serialized.
@SuppressWarnings("serial")
public final class LinkManager extends AbstractBehavior<LinkManager.Command> {

  public sealed interface Command {}

  /** Send an encoded frame to a peer, opening a connection if there is none. */
  public record Transmit(NodeId to, ByteString frame) implements Command {}

  /** The peer entered the active view: keep a long-lived link. */
  public record Connect(NodeId peer) implements Command {}

  /** The peer left the active view: close its link after flushing what was queued. */
  public record Close(NodeId peer) implements Command {}

  /** The node is ready: who it is and where received messages go. */
  public record Wire(NodeId self, Wiring wiring) implements Command {}

  /** A role actor found a link's outbound queue full: the peer is disconnected as slow. */
  public record Overflowed(long conn) implements Command {}

  /** The first frame of a connection; {@code taken} is told the peer if the Hello is taken. */
  record HelloIn(long conn, Hello hello, Consumer<NodeId> taken) implements Command {}

  /** A connection's inbound stage refused a frame: close the connection over it. */
  record Refuse(long conn, DropReason reason, String detail) implements Command {}

  /**
   * Reply once the connections closed so far have flushed what was queued and ended, or after the
   * connect timeout at the latest.
   */
  public record Flush(ActorRef<StatusReply<Done>> replyTo) implements Command {}

  private record FlushOver(ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** A connection's inbound stream ended, with the failure that ended it or null. */
  record StreamEnded(long conn, Throwable failure) implements Command {}

  /** Told to the node once the listener is bound, or could not be. */
  public record BindOutcome(InetSocketAddress bound, Throwable failure) {}

  private record Incoming(Tcp.IncomingConnection connection) implements Command {}

  private record BindResult(InetSocketAddress bound, Throwable failure) implements Command {}

  private record HandshakeTimeout(long conn) implements Command {}

  /** An accepted connection's {@code unauthenticated-lifetime} is over. */
  private record LifetimeOver(long conn) implements Command {}

  private enum IdleCheck implements Command {
    INSTANCE
  }

  /** One TCP connection and what is known of it. */
  private static final class Conn {
    final long id;
    final boolean outbound;

    /** The address dialed (a contact or a full id); null for an accepted connection. */
    final NodeId target;

    /** The remote IP address of an accepted connection; null for a dialed one. */
    InetAddress acceptedFrom;

    final Link link;

    NodeId peer;

    /** The peer's certificate when the link runs over TLS, else null. */
    PeerCertificate certificate;

    /** Closed on purpose (Close, idle, lost a dial race, aborted): its end is not a failure. */
    boolean closing;

    /** Why it was closed on purpose, for the DEBUG line of its end. */
    String closedBecause;

    /** Our side of the stream was completed or failed; the queue takes nothing more. */
    boolean ended;

    Conn(long id, boolean outbound, NodeId target, long now) {
      this.id = id;
      this.outbound = outbound;
      this.target = target;
      this.link = new Link(id, now);
    }

    /** Marks the connection closed on purpose, for the reason given. */
    void closing(String because) {
      closing = true;
      closedBecause = because;
    }

    /** Completes our side after flushing what is queued, or aborts it with {@code failure}. */
    void end(Throwable failure) {
      if (ended) {
        return;
      }
      ended = true;
      try {
        if (failure == null) {
          link.queue.complete();
        } else {
          link.queue.fail(failure);
        }
      } catch (IllegalStateException alreadyTerminated) {
        // The stream ended by itself first; nothing is left to flush.
      }
    }
  }

  private final TimerScheduler<Command> timers;
  private final NodeSettings.Transport settings;
  private final NodeSettings.PeerLimits limits;
  private final FrameLimits frameLimits;
  private final Codec codec;
  private final NodeMetrics metrics;
  private final Materializer materializer;
  private final Tcp tcp;
  private final TlsLinks tls;
  private final LinkRegistry registry;
  private final InboundGate gate;

  /** When a refusal was last logged, per DropReason or TlsRejection. */
  private final Map<Enum<?>, Long> lastDropLog = new HashMap<>();

  private final Map<Long, Conn> conns = new HashMap<>();

  /** Flush requests waiting, with the connections they wait for. */
  private final Map<ActorRef<StatusReply<Done>>, Set<Long>> flushing = new HashMap<>();

  /** Accepted connections open now, per remote IP address. */
  private final Map<InetAddress, Integer> acceptedPerAddress = new HashMap<>();

  /** The connection in use per peer, after its Hello. */
  private final Map<NodeId, Conn> byPeer = new LinkedHashMap<>();

  /** Outbound connections whose Hello has not arrived, by the address dialed. */
  private final Map<NodeId, Conn> dialing = new LinkedHashMap<>();

  /** Peers in the active view. */
  private final Set<NodeId> linked = new LinkedHashSet<>();

  private final List<Tcp.IncomingConnection> waitingForWire = new ArrayList<>();

  /** The fault stage, or null (production). */
  private final LinkFaults faults;

  private final ActorRef<BindOutcome> bindOutcome;
  private NodeId self;
  private Wiring wiring;

  /** Where each connection's inbound stage hands frames, once wired. */
  private InboundRouter.Wiring inbound;

  private ByteString hello;
  private long nextConn;

  public static Behavior<Command> create(
      NodeSettings settings,
      Codec codec,
      NodeMetrics metrics,
      TlsLinks tls,
      LinkRegistry registry,
      InboundGate gate,
      ActorRef<BindOutcome> bindOutcome) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new LinkManager(
                        context,
                        timers,
                        settings,
                        codec,
                        metrics,
                        tls,
                        registry,
                        gate,
                        bindOutcome)));
  }

  private LinkManager(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      NodeSettings settings,
      Codec codec,
      NodeMetrics metrics,
      TlsLinks tls,
      LinkRegistry registry,
      InboundGate gate,
      ActorRef<BindOutcome> bindOutcome) {
    super(context);
    this.tls = tls;
    this.registry = registry;
    this.gate = gate;
    this.timers = timers;
    this.settings = settings.transport();
    this.limits = this.settings.limits();
    this.frameLimits = new FrameLimits(limits);
    this.codec = codec;
    this.metrics = metrics;
    this.bindOutcome = bindOutcome;
    this.materializer = Materializer.createMaterializer(context);
    this.tcp = Tcp.get(context.getSystem());
    this.faults = LinkFaultsExtension.get(context.getSystem()).faults();
    ActorRef<Command> me = context.getSelf();
    registry.manager(me);
    context.pipeToSelf(
        tcp.bind(settings.host(), settings.port(), 100, List.of(), true, Optional.<Duration>empty())
            .to(Sink.foreach(c -> me.tell(new Incoming(c))))
            .run(materializer),
        (binding, failure) ->
            new BindResult(binding == null ? null : binding.localAddress(), failure));
    Duration idleCheck = min(this.settings.idleTimeout().dividedBy(2), Duration.ofSeconds(5));
    timers.startTimerWithFixedDelay(IdleCheck.INSTANCE, idleCheck);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(BindResult.class, this::onBindResult)
        .onMessage(Wire.class, this::onWire)
        .onMessage(Transmit.class, this::onTransmit)
        .onMessage(Connect.class, this::onConnect)
        .onMessage(Close.class, this::onClose)
        .onMessage(Incoming.class, this::onIncoming)
        .onMessage(HelloIn.class, this::onHelloIn)
        .onMessage(Refuse.class, this::onRefuse)
        .onMessage(Overflowed.class, this::onOverflowed)
        .onMessage(StreamEnded.class, this::onStreamEnded)
        .onMessage(Flush.class, this::onFlush)
        .onMessage(FlushOver.class, f -> flushed(f.replyTo()))
        .onMessage(HandshakeTimeout.class, this::onHandshakeTimeout)
        .onMessage(LifetimeOver.class, this::onLifetimeOver)
        .onMessageEquals(IdleCheck.INSTANCE, this::onIdleCheck)
        .build();
  }

  private Behavior<Command> onBindResult(BindResult r) {
    bindOutcome.tell(new BindOutcome(r.bound(), r.failure()));
    return r.failure() == null ? Behaviors.same() : Behaviors.stopped();
  }

  private Behavior<Command> onWire(Wire w) {
    self = w.self();
    wiring = w.wiring();
    hello = codec.encode(new Hello(self));
    inbound =
        new InboundRouter.Wiring(
            getContext().getSelf(), wiring.roles(), gate, limits.maxInboundFrameRate());
    waitingForWire.forEach(this::accept);
    waitingForWire.clear();
    return Behaviors.same();
  }

  private Behavior<Command> onTransmit(Transmit t) {
    if (self == null || t.to().sameAddress(self)) {
      return Behaviors.same();
    }
    Conn c = find(t.to());
    if (c == null) {
      c = dial(t.to());
    }
    offer(c, t.frame());
    // Published after the frame is queued, so the role's next frame cannot overtake it.
    syncRoute(t.to());
    return Behaviors.same();
  }

  private Behavior<Command> onConnect(Connect c) {
    linked.add(c.peer());
    if (find(c.peer()) == null) {
      dial(c.peer());
    }
    syncRoute(c.peer());
    return Behaviors.same();
  }

  private Behavior<Command> onClose(Close c) {
    linked.remove(c.peer());
    Conn conn = byPeer.remove(c.peer());
    if (conn == null) {
      conn = dialing.remove(c.peer());
    }
    if (conn != null) {
      syncRoute(c.peer());
      conn.closing("left the active view");
      conn.end(null);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onIncoming(Incoming i) {
    if (wiring == null) {
      waitingForWire.add(i.connection());
    } else {
      accept(i.connection());
    }
    return Behaviors.same();
  }

  private void accept(Tcp.IncomingConnection connection) {
    InetAddress from = connection.remoteAddress().getAddress();
    int open = acceptedPerAddress.getOrDefault(from, 0);
    if (open >= limits.maxConnectionsPerAddress()) {
      // Closed before a byte is read: a peer cannot make this node hold more per address.
      connection.handleWith(
          Flow.fromSinkAndSource(Sink.<ByteString>cancelled(), Source.<ByteString>empty()),
          materializer);
      countDrop(
          DropReason.TOO_MANY_CONNECTIONS,
          "an accepted connection from " + from.getHostAddress(),
          open + " open from this address");
      return;
    }
    acceptedPerAddress.put(from, open + 1);
    Conn c;
    if (tls == null) {
      c = open(connection.flow(), false, null);
    } else {
      PeerCertificate certificate = new PeerCertificate();
      c = open(tls.accept(connection.flow(), certificate), false, null);
      c.certificate = certificate;
    }
    c.acceptedFrom = from;
    timers.startSingleTimer(
        new LifetimeOver(c.id), new LifetimeOver(c.id), limits.unauthenticatedLifetime());
  }

  private Conn dial(NodeId to) {
    InetSocketAddress address = InetSocketAddress.createUnresolved(to.host(), to.port());
    Flow<ByteString, ByteString, NotUsed> connection;
    PeerCertificate certificate = tls == null ? null : new PeerCertificate();
    if (faults != null && !faults.canConnect(self, to)) {
      // Cut off by the fault stage: the dial fails as a refused connection would.
      connection =
          Flow.fromSinkAndSource(
              Flow.<ByteString>create().to(Sink.ignore()),
              Source.<ByteString>failed(new ConnectException("fault stage: cut off from " + to)));
    } else if (tls != null) {
      connection = tls.dial(tcp, address, settings.connectTimeout(), certificate);
    } else {
      connection =
          tcp.outgoingConnection(
                  address,
                  Optional.empty(),
                  List.of(),
                  true,
                  Optional.of(settings.connectTimeout()),
                  Optional.empty())
              .mapMaterializedValue(m -> NotUsed.getInstance());
    }
    Conn c = open(connection, true, to);
    c.certificate = certificate;
    dialing.put(to, c);
    return c;
  }

  /** Materializes one connection's stream; the first frame out is our Hello. */
  private Conn open(Flow<ByteString, ByteString, NotUsed> connection, boolean outbound, NodeId to) {
    long id = nextConn++;
    Conn c = new Conn(id, outbound, to, System.nanoTime());
    Codec.Decoder decoder = codec.newDecoder(frameLimits);
    Flow<ByteString, List<Object>, NotUsed> wire =
        Flow.<ByteString>create()
            .batchWeighted(
                settings.batchMaxBytes(), b -> (long) b.size(), b -> b, ByteString::concat)
            .map(metrics::sent)
            .via(connection)
            .map(metrics::received)
            .map(decoder::feed)
            .map(frameLimits::check);
    if (faults != null) {
      Link link = c.link;
      wire =
          FaultStage.layer(
                  faults, self, () -> link.peer != null ? link.peer : to, getContext().getSystem())
              .join(wire);
    }
    c.link.queue =
        Source.<ByteString>queue(settings.outboundQueueSize())
            .via(wire)
            .filter(items -> !items.isEmpty())
            .to(Sink.fromGraph(new InboundRouter(c.link, inbound)))
            .withAttributes(GossipDispatcher.STREAMS)
            .run(materializer);
    c.link.queue.offer(hello);
    conns.put(id, c);
    metrics.openLinks = conns.size();
    Duration limit =
        outbound
            ? settings.connectTimeout().plus(settings.handshakeTimeout())
            : settings.handshakeTimeout();
    timers.startSingleTimer(new HandshakeTimeout(id), new HandshakeTimeout(id), limit);
    return c;
  }

  /** The open or opening connection to use for a peer (a contact matches by address). */
  private Conn find(NodeId to) {
    if (!to.isContact()) {
      Conn c = byPeer.get(to);
      return c != null ? c : dialing.get(to);
    }
    for (Map.Entry<NodeId, Conn> e : byPeer.entrySet()) {
      if (e.getKey().sameAddress(to)) {
        return e.getValue();
      }
    }
    for (Map.Entry<NodeId, Conn> e : dialing.entrySet()) {
      if (e.getKey().sameAddress(to)) {
        return e.getValue();
      }
    }
    return null;
  }

  private void offer(Conn c, ByteString frame) {
    if (!c.ended && !c.link.offer(frame)) {
      overflowed(c);
    }
  }

  private Behavior<Command> onOverflowed(Overflowed o) {
    Conn c = conns.get(o.conn());
    if (c != null && !c.ended) {
      overflowed(c);
    }
    return Behaviors.same();
  }

  /** The peer cannot keep up: drop it rather than let it hold memory or slow the others. */
  private void overflowed(Conn c) {
    metrics.queueDrops.increment();
    NodeId peer = c.peer != null ? c.peer : c.target;
    forget(c);
    c.closing("outbound queue overflowed");
    c.end(new IllegalStateException("outbound queue of " + peer + " overflowed"));
    if (linked.contains(peer)) {
      wiring.route(new LinkFailed(peer, DownReason.SLOW));
    }
  }

  private Behavior<Command> onHelloIn(HelloIn h) {
    Conn c = conns.get(h.conn());
    if (c != null && !c.ended && handshake(c, h.hello().node())) {
      h.taken().accept(c.peer);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onRefuse(Refuse r) {
    Conn c = conns.get(r.conn());
    if (c != null && !c.ended) {
      refuse(c, r.reason(), r.detail());
    }
    return Behaviors.same();
  }

  private boolean handshake(Conn c, NodeId peer) {
    timers.cancel(new HandshakeTimeout(c.id));
    String mismatch =
        c.certificate == null ? null : c.certificate.mismatch(peer, c.outbound ? c.target : null);
    if (mismatch != null) {
      countTlsRejection(TlsRejection.IDENTITY_MISMATCH, c, mismatch);
      abandonBeforeHello(
          c, "its certificate does not name it", new IllegalStateException(mismatch));
      return false;
    }
    if (peer.equals(self)) {
      refuse(c, DropReason.HANDSHAKE, "a connection to this node itself");
      return false;
    }
    if (faults != null && !faults.canConnect(self, peer)) {
      // Cut off by the fault stage: this connection could not have opened.
      abandonBeforeHello(
          c,
          "cut off by the fault stage",
          new ConnectException("fault stage: cut off from " + peer));
      return false;
    }
    if (c.outbound) {
      dialing.remove(c.target, c);
      if (!c.target.isContact() && !c.target.equals(peer)) {
        // The address answers with another incarnation: the node dialed is gone.
        c.closing("another incarnation answered");
        c.end(null);
        reportFailed(c.target);
        return false;
      }
    }
    c.peer = peer;
    c.link.peer = peer;
    getContext().getLog().debug("link {} {} {} opened", c.id, c.outbound ? "to" : "from", peer);
    Conn existing = byPeer.get(peer);
    if (existing == null) {
      byPeer.put(peer, c);
      syncRoute(peer);
      return true;
    }
    // Two connections to one peer: both sides keep the one dialed by the lower node id.
    NodeId dialedBy = c.outbound ? self : peer;
    NodeId existingDialedBy = existing.outbound ? self : peer;
    Conn keep;
    if (dialedBy.equals(existingDialedBy)) {
      keep = existing;
    } else {
      NodeId lower = self.compareTo(peer) < 0 ? self : peer;
      keep = dialedBy.equals(lower) ? c : existing;
    }
    Conn loser = keep == c ? existing : c;
    byPeer.put(peer, keep);
    syncRoute(peer);
    loser.closing("both sides dialed, the other link stays");
    loser.end(null);
    return true;
  }

  /**
   * Closes a connection whose Hello is not taken; a dialed one counts as a dial that failed, as if
   * the connection had never opened.
   */
  private void abandonBeforeHello(Conn c, String because, Throwable failure) {
    forget(c);
    c.closing(because);
    c.end(failure);
    if (c.outbound) {
      reportFailed(c.target);
    }
  }

  private Behavior<Command> onFlush(Flush f) {
    Set<Long> closing = new HashSet<>();
    for (Conn c : conns.values()) {
      if (c.ended) {
        closing.add(c.id);
      }
    }
    if (closing.isEmpty()) {
      f.replyTo().tell(StatusReply.ack());
    } else {
      flushing.put(f.replyTo(), closing);
      timers.startSingleTimer(
          new FlushOver(f.replyTo()), new FlushOver(f.replyTo()), settings.connectTimeout());
    }
    return Behaviors.same();
  }

  private Behavior<Command> flushed(ActorRef<StatusReply<Done>> replyTo) {
    if (flushing.remove(replyTo) != null) {
      timers.cancel(new FlushOver(replyTo));
      replyTo.tell(StatusReply.ack());
    }
    return Behaviors.same();
  }

  private Behavior<Command> onStreamEnded(StreamEnded e) {
    if (!flushing.isEmpty()) {
      for (Map.Entry<ActorRef<StatusReply<Done>>, Set<Long>> waiting :
          List.copyOf(flushing.entrySet())) {
        if (waiting.getValue().remove(e.conn()) && waiting.getValue().isEmpty()) {
          flushed(waiting.getKey());
        }
      }
    }
    Conn c = conns.remove(e.conn());
    if (c == null) {
      return Behaviors.same();
    }
    metrics.openLinks = conns.size();
    timers.cancel(new HandshakeTimeout(c.id));
    if (c.acceptedFrom != null) {
      timers.cancel(new LifetimeOver(c.id));
      acceptedPerAddress.computeIfPresent(c.acceptedFrom, (a, n) -> n == 1 ? null : n - 1);
    }
    if (e.failure() instanceof FrameException fe) {
      countDrop(fe.reason(), c, fe.getMessage());
    } else if (c.certificate != null && c.peer == null) {
      TlsLinks.rejection(e.failure())
          .ifPresent(r -> countTlsRejection(r, c, String.valueOf(e.failure().getMessage())));
    }
    c.end(e.failure());
    boolean wasInUse = forget(c);
    logEnd(c, e.failure());
    if (c.closing || c.link.peerDisconnected) {
      return Behaviors.same();
    }
    if (c.peer == null) {
      if (c.outbound) {
        reportFailed(c.target);
      }
    } else if (wasInUse && linked.contains(c.peer)) {
      reportFailed(c.peer);
    }
    return Behaviors.same();
  }

  /** Removes the connection from the lookup maps; true if it was the one in use. */
  private boolean forget(Conn c) {
    boolean inUse = false;
    if (c.peer != null) {
      inUse = byPeer.remove(c.peer, c);
      syncRoute(c.peer);
    }
    if (c.target != null) {
      inUse |= dialing.remove(c.target, c);
      syncRoute(c.target);
    }
    return inUse;
  }

  /**
   * Publishes in the registry the connection the role actors may write to for {@code peer}: the
   * handshaken one, else one being dialed to that exact node; withdraws it when there is none.
   * Contacts (address only) are never published: their frames come here.
   */
  private void syncRoute(NodeId peer) {
    if (peer.isContact()) {
      return;
    }
    Conn c = byPeer.get(peer);
    if (c == null) {
      c = dialing.get(peer);
    }
    if (c == null || c.ended) {
      registry.withdraw(peer);
    } else {
      c.link.inActiveView = linked.contains(peer);
      registry.publish(peer, c.link);
    }
  }

  private void reportFailed(NodeId peer) {
    if (wiring != null) {
      wiring.route(new LinkFailed(peer, DownReason.CONNECTION_LOST));
    }
  }

  private Behavior<Command> onHandshakeTimeout(HandshakeTimeout t) {
    Conn c = conns.get(t.conn());
    if (c != null && c.peer == null) {
      if (c.outbound) {
        // Nobody answered in time: the stream's end reports the peer unreachable.
        c.end(new IllegalStateException("no Hello from " + c.target));
      } else {
        refuse(c, DropReason.HANDSHAKE, "no Hello within " + settings.handshakeTimeout());
      }
    }
    return Behaviors.same();
  }

  private Behavior<Command> onLifetimeOver(LifetimeOver t) {
    Conn c = conns.get(t.conn());
    if (c == null || c.ended) {
      return Behaviors.same();
    }
    boolean activeLink = c.peer != null && linked.contains(c.peer) && byPeer.get(c.peer) == c;
    if (activeLink) {
      return Behaviors.same();
    }
    if (c.peer != null && !c.link.strayTraffic) {
      // Passive traffic (shuffles, Neighbor requests) keeps such a connection from idling out in a
      // busy overlay: closing it is routine, not a refusal.
      forget(c);
      c.closing("outside the active view for " + limits.unauthenticatedLifetime());
      c.end(null);
    } else {
      refuse(
          c,
          DropReason.LIFETIME_EXCEEDED,
          "outside the active view for " + limits.unauthenticatedLifetime());
    }
    return Behaviors.same();
  }

  private Behavior<Command> onIdleCheck() {
    long now = System.nanoTime();
    long idle = settings.idleTimeout().toNanos();
    for (Conn c : new ArrayList<>(byPeer.values())) {
      long lastUsed = Math.max(c.link.lastUsed, c.link.lastRead);
      if (!linked.contains(c.peer) && now - lastUsed > idle) {
        forget(c);
        c.closing("idle");
        c.end(null);
      }
    }
    return Behaviors.same();
  }

  /** Closes a connection over a refused frame; counted and logged here. */
  private void refuse(Conn c, DropReason reason, String detail) {
    countDrop(reason, c, detail);
    boolean wasInUse = forget(c);
    c.closing("refused a frame");
    c.end(new FrameException(reason, detail));
    if (c.peer != null && wasInUse && linked.contains(c.peer)) {
      reportFailed(c.peer);
    }
  }

  private void countDrop(DropReason reason, Conn c, String detail) {
    countDrop(reason, "link " + c.id + " from " + who(c), detail);
  }

  private void countDrop(DropReason reason, String link, String detail) {
    metrics.frameDropped(reason);
    warnOncePerInterval(reason, "closed " + link + ": " + reason + ", " + detail);
  }

  private void countTlsRejection(TlsRejection reason, Conn c, String detail) {
    metrics.tlsRejected(reason);
    warnOncePerInterval(
        reason,
        "refused TLS link "
            + c.id
            + (c.outbound ? " to " : " from ")
            + who(c)
            + ": "
            + reason
            + ", "
            + detail);
  }

  private static Object who(Conn c) {
    return c.peer != null ? c.peer : c.target != null ? c.target : "an accepted connection";
  }

  /** Logs at most once per reason per {@code gossip.transport.drop-log-interval}. */
  private void warnOncePerInterval(Enum<?> reason, String message) {
    long now = System.nanoTime();
    Long last = lastDropLog.get(reason);
    if (last == null || now - last >= settings.dropLogInterval().toNanos()) {
      lastDropLog.put(reason, now);
      getContext()
          .getLog()
          .warn("{} (logged once per {} per reason)", message, settings.dropLogInterval());
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void logEnd(Conn c, Throwable failure) {
    Logger log = getContext().getLog();
    if (!log.isDebugEnabled()) {
      return;
    }
    String why =
        c.closedBecause != null
            ? c.closedBecause
            : c.link.peerDisconnected
                ? "the peer disconnected"
                : failure != null ? String.valueOf(failure.getMessage()) : "closed by the peer";
    if (c.peer != null) {
      log.debug("link {} {} {} closed: {}", c.id, c.outbound ? "to" : "from", c.peer, why);
    } else if (c.outbound) {
      log.debug(
          "link {} to {} {} before its Hello: {}",
          c.id,
          c.target,
          c.closing ? "closed" : "failed",
          why);
    }
  }
}
