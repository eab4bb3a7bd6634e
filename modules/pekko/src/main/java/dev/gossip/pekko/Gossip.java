package dev.gossip.pekko;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.pekko.internal.GossipDispatcher;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The Java API of a running gossip node; usable from Scala as it is. Start one per ActorSystem with
 * {@link #start(ActorSystem)} (settings from the system's {@code gossip} configuration) or through
 * {@link GossipExtension}; then {@link #join}, {@link #broadcast}, subscribe, and {@link #leave}.
 * All methods are thread-safe and never block, except {@link #join()} which resolves the configured
 * DNS contact name.
 */
public final class Gossip {

  private static final AtomicLong NAMES = new AtomicLong();
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  private final ActorSystem<?> system;
  private final ActorRef<GossipNode.Command> node;
  private final NodeSettings settings;
  private final GossipNode.Started started;

  private Gossip(
      ActorSystem<?> system,
      ActorRef<GossipNode.Command> node,
      NodeSettings settings,
      GossipNode.Started started) {
    this.system = system;
    this.node = node;
    this.settings = settings;
    this.started = started;
  }

  /** Starts a node with the settings of {@code system}'s configuration. */
  public static CompletionStage<Gossip> start(ActorSystem<?> system) {
    return start(system, NodeSettings.load(system.settings().config()));
  }

  /**
   * Starts a node; the stage completes once it listens, or fails with a {@link
   * BindFailedException}.
   *
   * @throws dev.gossip.core.InvalidSettingException if TLS is on and its key material is unusable
   */
  public static CompletionStage<Gossip> start(ActorSystem<?> system, NodeSettings settings) {
    ActorRef<GossipNode.Command> node =
        system.systemActorOf(
            // A bug in one command must not stop the node: logged, and the node goes on.
            Behaviors.supervise(GossipNode.create(settings)).onFailure(SupervisorStrategy.resume()),
            "gossip-" + NAMES.incrementAndGet(),
            GossipDispatcher.ACTORS);
    return AskPattern.<GossipNode.Command, GossipNode.Started>askWithStatus(
            node, GossipNode.GetStarted::new, ASK_TIMEOUT, system.scheduler())
        .thenApply(s -> new Gossip(system, node, settings, s));
  }

  /** This node's identity: advertised host, bound port, incarnation. */
  public NodeId self() {
    return started.self();
  }

  /** The node actor, for actor-style use. */
  public ActorRef<GossipNode.Command> node() {
    return node;
  }

  /** The largest payload {@link #broadcast} accepts. */
  public int maxPayloadSize() {
    return started.maxPayloadSize();
  }

  /**
   * Joins through the configured contacts ({@code gossip.contacts}, then {@code
   * gossip.contact-dns}); with none configured this node starts a new overlay.
   */
  public CompletionStage<Done> join() {
    List<NodeId> contacts;
    try {
      contacts = settings.resolveContacts();
    } catch (UnknownHostException e) {
      return CompletableFuture.failedFuture(
          new NoContactReachableException(List.of(settings.contactDnsName())));
    }
    return joinContacts(contacts);
  }

  /**
   * Joins through these contacts, "host:port", tried in order; none, or only this node's own
   * address, starts a new overlay. Completes when the first neighbour is up, or fails with {@link
   * NoContactReachableException} after {@value GossipNode#JOIN_ROUNDS} rounds in a row in which no
   * contact answered (the node keeps retrying with backoff), or with {@link LeftOverlayException}
   * after {@link #leave()}.
   *
   * @throws dev.gossip.core.InvalidSettingException if a contact is not "host:port"
   */
  public CompletionStage<Done> join(List<String> contacts) {
    List<NodeId> ids = new ArrayList<>();
    for (String contact : contacts) {
      ids.add(NodeSettings.parseContact(contact));
    }
    return joinContacts(ids);
  }

  private CompletionStage<Done> joinContacts(List<NodeId> contacts) {
    RuntimeException ended = started.broadcaster().ended();
    if (ended != null) {
      return CompletableFuture.failedFuture(ended);
    }
    // A round tries each contact for a connect plus a Neighbor answer.
    Duration perContact =
        settings
            .transport()
            .connectTimeout()
            .plus(settings.protocol().membership().neighborRequestTimeout());
    Duration timeout =
        perContact
            .multipliedBy(contacts.size() + 1L)
            .plus(settings.protocol().membership().rejoinBackoffMax())
            .multipliedBy(GossipNode.JOIN_ROUNDS)
            .plus(ASK_TIMEOUT);
    // Taking part starts now, so a broadcast right after this call is not refused as not joined.
    started.broadcaster().joined();
    return AskPattern.askWithStatus(
        node, r -> new GossipNode.Join(contacts, r), timeout, system.scheduler());
  }

  /**
   * Broadcasts a payload to every node of the overlay. The array is not copied: do not modify it
   * afterwards. The stage completes with the message's id once this node's dissemination role has
   * taken it: it is delivered locally and queued on the links to the eager peers. That is all a
   * completed stage says. The message may still be in this node's queues or socket buffers, and if
   * this node crashes before they are written, it may reach no one. For proof that it left the
   * node, use {@link #broadcast(byte[], Confirmation)}. The stage fails with {@link
   * NotJoinedException} or {@link PayloadTooLargeException}.
   *
   * @throws NullPointerException if {@code payload} is null
   */
  public CompletionStage<MessageId> broadcast(byte[] payload) {
    return started.broadcaster().broadcast(payload);
  }

  /**
   * Broadcasts a payload as {@link #broadcast(byte[])} does, and completes the stage only once
   * {@code confirmation} is met: {@link Confirmation#neighbors()} of this node's neighbours
   * acknowledged receiving the message straight from this node. From then on the message no longer
   * depends on this node to spread. To have enough neighbours get it directly, a confirmed
   * broadcast is pushed to at least that many, not only to its tree links. The stage fails with
   * {@link BroadcastNotConfirmedException} when this node has fewer neighbours than asked for (at
   * once), when the timeout passes first, when this node leaves, or when {@code
   * gossip.dissemination.max-pending-confirmations} confirmations are already pending (then the
   * message was not broadcast). Only the last of these means the message was not sent. It also
   * fails as {@link #broadcast(byte[])} does. Each confirmed broadcast costs one small Ack frame
   * per neighbour that receives it from this node; unconfirmed broadcasts cost nothing more.
   *
   * @throws NullPointerException if {@code payload} or {@code confirmation} is null
   */
  public CompletionStage<MessageId> broadcast(byte[] payload, Confirmation confirmation) {
    return started.broadcaster().broadcast(payload, confirmation);
  }

  /**
   * Broadcasts a payload as {@link #broadcast} does, without a stage to complete: for high rates,
   * where the caller needs no id. The array is not copied: do not modify it afterwards.
   *
   * @throws NullPointerException if {@code payload} is null
   * @throws NotJoinedException if this node has not joined or has left
   * @throws PayloadTooLargeException if the payload is larger than {@link #maxPayloadSize()}
   */
  public void publish(byte[] payload) {
    started.broadcaster().publish(payload);
  }

  /**
   * Leaves the overlay: neighbours are told at once and this node stops taking part. Leaving is
   * final: broadcasts and {@link #join()} fail with {@link LeftOverlayException} (a {@link
   * NotJoinedException}) from now on. The stage completes once the links to the neighbours have
   * flushed the news and closed ({@code gossip.transport.connect-timeout} at the latest), so that
   * terminating the ActorSystem then does not cut it off.
   */
  public CompletionStage<Done> leave() {
    if (started.broadcaster().hasStopped()) {
      return CompletableFuture.failedFuture(new NodeStoppedException());
    }
    started.broadcaster().left();
    return AskPattern.askWithStatus(
        node, GossipNode.LeaveAndReply::new, ASK_TIMEOUT, system.scheduler());
  }

  /**
   * Sends every {@link GossipEvent} to {@code subscriber} from now on (the subscription is in place
   * when this returns) until it stops or unsubscribes.
   */
  public void subscribe(ActorRef<GossipEvent> subscriber) {
    started.subscribers().add(Objects.requireNonNull(subscriber, "subscriber"));
    node.tell(new GossipNode.Subscribe(subscriber));
  }

  public void unsubscribe(ActorRef<GossipEvent> subscriber) {
    started.subscribers().remove(Objects.requireNonNull(subscriber, "subscriber"));
    node.tell(new GossipNode.Unsubscribe(subscriber));
  }

  /** {@link #events(int)} with {@code gossip.subscriber-buffer-size}. */
  public Source<GossipEvent, NotUsed> events() {
    return events(settings.subscriberBufferSize());
  }

  /**
   * The node's events as a Source, from materialization on. At most {@code bufferSize} events wait
   * for a slow consumer; beyond that events are dropped and a {@link GossipEvent.Missed} with their
   * count comes before the next one delivered. Each materialization is its own subscription.
   *
   * @throws IllegalArgumentException if {@code bufferSize} is less than 1
   */
  public Source<GossipEvent, NotUsed> events(int bufferSize) {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be at least 1, was " + bufferSize);
    }
    return Source.<GossipEvent>queue(bufferSize)
        .mapMaterializedValue(
            queue -> {
              started.subscribers().add(queue);
              return NotUsed.getInstance();
            });
  }

  /**
   * Reads the TLS key material ({@code gossip.tls}) again and uses it for connections opened from
   * now on; links already open keep working. Fails with an {@link
   * dev.gossip.core.InvalidSettingException} naming the key to fix if the new material is unusable
   * (the old one stays in use), or an {@link IllegalStateException} if TLS is off.
   */
  public CompletionStage<Done> reloadTls() {
    return AskPattern.askWithStatus(
        node, GossipNode.ReloadTls::new, ASK_TIMEOUT, system.scheduler());
  }

  /**
   * This node's active and passive views now; each change is also published as {@link
   * GossipEvent.MembershipChanged}.
   */
  public Membership membership() {
    return started.membership().get();
  }

  /** Counters since start and gauges now. */
  public MetricsSnapshot metrics() {
    return started.metrics().get();
  }
}
