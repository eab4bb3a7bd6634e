package dev.gossip.micrometer;

import dev.gossip.pekko.DropReason;
import dev.gossip.pekko.MetricsSnapshot;
import dev.gossip.pekko.TlsRejection;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Binds every counter and gauge of a node's {@link MetricsSnapshot} to a Micrometer registry:
 * counters as {@link FunctionCounter}s, gauges as {@link Gauge}s, the per-reason maps as one meter
 * per reason with a {@code reason} tag (lower case, every reason from the start at 0).
 *
 * <pre>{@code
 * new GossipMetrics(gossip::metrics, Tags.of("node", "node1")).bindTo(registry);
 * }</pre>
 *
 * <p>Each meter reads the supplier when the registry reads the meter (a scrape reads each once), so
 * the supplier must be cheap and must not block: {@code Gossip.metrics()} is. The registry keeps
 * the supplier, and so the node object it refers to, until the meters are removed.
 */
public final class GossipMetrics implements MeterBinder {
  private final Supplier<MetricsSnapshot> metrics;
  private final Tags tags;

  /** Meters for one node, with the given tags on each (to tell nodes of one process apart). */
  public GossipMetrics(Supplier<MetricsSnapshot> metrics, Iterable<Tag> tags) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
  }

  /** Meters for the only node of the process. */
  public GossipMetrics(Supplier<MetricsSnapshot> metrics) {
    this(metrics, Tags.empty());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(
        registry,
        "gossip.delivered",
        "messages delivered here, own broadcasts included",
        BaseUnits.MESSAGES,
        MetricsSnapshot::delivered);
    counter(
        registry,
        "gossip.duplicates",
        "Gossip received for an already delivered message",
        BaseUnits.MESSAGES,
        MetricsSnapshot::duplicates);
    counter(
        registry,
        "gossip.ihave.sent",
        "IHave messages sent",
        BaseUnits.MESSAGES,
        MetricsSnapshot::ihaveSent);
    counter(
        registry,
        "gossip.graft.sent",
        "Graft messages sent",
        BaseUnits.MESSAGES,
        MetricsSnapshot::graftSent);
    counter(
        registry,
        "gossip.prune.sent",
        "Prune messages sent",
        BaseUnits.MESSAGES,
        MetricsSnapshot::pruneSent);
    for (DropReason reason : DropReason.values()) {
      counter(
          registry,
          "gossip.frames.dropped",
          "links closed over a refused inbound frame or a per-peer limit",
          null,
          s -> s.framesDropped(reason),
          Tag.of("reason", tagValue(reason)));
    }
    counter(
        registry,
        "gossip.queue.drops",
        "frames that did not fit a link's outbound queue (the link was closed as slow)",
        null,
        MetricsSnapshot::queueDrops);
    counter(
        registry,
        "gossip.subscriber.lag",
        "events Source subscribers missed by falling behind",
        BaseUnits.EVENTS,
        MetricsSnapshot::subscriberLag);
    counter(
        registry,
        "gossip.bytes.sent",
        "frame bytes written to the links' TCP connections",
        BaseUnits.BYTES,
        MetricsSnapshot::bytesSent);
    counter(
        registry,
        "gossip.bytes.received",
        "frame bytes read from the links' TCP connections",
        BaseUnits.BYTES,
        MetricsSnapshot::bytesReceived);
    for (TlsRejection reason : TlsRejection.values()) {
      counter(
          registry,
          "gossip.tls.rejections",
          "TLS connections this node refused",
          BaseUnits.CONNECTIONS,
          s -> s.tlsRejections(reason),
          Tag.of("reason", tagValue(reason)));
    }
    counter(
        registry,
        "gossip.tls.reloads",
        "times new TLS key material was taken into use",
        null,
        MetricsSnapshot::tlsReloads);
    counter(
        registry,
        "gossip.tls.reload.failures",
        "TLS reloads refused because the new material was unusable",
        null,
        MetricsSnapshot::tlsReloadFailures);
    counter(
        registry,
        "gossip.failures",
        "messages on which one of the node's actors failed",
        null,
        MetricsSnapshot::failures);

    gauge(
        registry,
        "gossip.active.view.size",
        "peers in the active view",
        MetricsSnapshot::activeViewSize);
    gauge(
        registry,
        "gossip.passive.view.size",
        "peers in the passive view",
        MetricsSnapshot::passiveViewSize);
    gauge(
        registry,
        "gossip.eager.peers",
        "neighbours eager in at least one origin's tree",
        MetricsSnapshot::eagerPeers);
    gauge(
        registry,
        "gossip.lazy.peers",
        "neighbours lazy in every origin's tree",
        MetricsSnapshot::lazyPeers);
    gauge(registry, "gossip.links.open", "TCP connections open", MetricsSnapshot::openLinks);
    gauge(
        registry,
        "gossip.inbound.queued",
        "peer messages received and waiting for the role actors",
        MetricsSnapshot::inboundQueued);
    gauge(
        registry,
        "gossip.inbound.queued.peak",
        "the most gossip.inbound.queued has been",
        MetricsSnapshot::inboundQueuedPeak);
    gauge(
        registry,
        "gossip.rmr",
        "relative message redundancy over the recent window (0 is a perfect tree; NaN before"
            + " any receipt)",
        MetricsSnapshot::rmr);
    gauge(
        registry,
        "gossip.ldh",
        "last delivery hop: most hops of a recent delivery",
        MetricsSnapshot::ldh);
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      String baseUnit,
      ToDoubleFunction<MetricsSnapshot> value,
      Tag... extra) {
    // A FunctionCounter holds its state object weakly; the gauges below hold the same supplier
    // strongly, so it lives as long as the meters.
    FunctionCounter.builder(name, metrics, m -> value.applyAsDouble(m.get()))
        .description(description)
        .baseUnit(baseUnit)
        .tags(tags.and(extra))
        .register(registry);
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<MetricsSnapshot> value) {
    Gauge.builder(name, metrics, m -> value.applyAsDouble(m.get()))
        .description(description)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  private static String tagValue(Enum<?> reason) {
    return reason.name().toLowerCase(Locale.ROOT);
  }
}
