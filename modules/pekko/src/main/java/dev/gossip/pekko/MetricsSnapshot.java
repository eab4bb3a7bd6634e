package dev.gossip.pekko;

import java.util.Map;

/**
 * A node's counters since start and gauges now.
 *
 * @param delivered messages delivered here (own broadcasts included)
 * @param duplicates Gossip received for an already delivered message
 * @param ihaveSent IHave messages sent
 * @param graftSent Graft messages sent
 * @param pruneSent Prune messages sent
 * @param framesDropped links closed over a refused inbound frame or a per-peer limit, by reason
 * @param queueDrops frames that did not fit a link's outbound queue (the link was closed as slow)
 * @param subscriberLag events Source subscribers missed by falling behind
 * @param bytesSent frame bytes written to the TCP connections of all links (length prefixes
 *     included, TCP/IP headers not)
 * @param bytesReceived frame bytes read from the TCP connections of all links
 * @param activeViewSize peers in the active view
 * @param passiveViewSize peers in the passive view
 * @param eagerPeers neighbours in the eager set of at least one origin's tree (Gossip of that
 *     origin is pushed to them); every neighbour until a first message
 * @param lazyPeers neighbours lazy in every origin's tree: they only get IHave
 * @param openLinks TCP connections open now
 * @param inboundQueued peer messages received and waiting for the role actors now; the links stop
 *     reading while it is at {@code gossip.transport.inbound-queue-size}
 * @param inboundQueuedPeak the most {@code inboundQueued} has been since start
 * @param rmr relative message redundancy over the recent window: Gossip received per first
 *     delivery, minus 1 (0 is a perfect tree); NaN before any receipt
 * @param ldh last delivery hop: most hops of a delivery over the recent window
 * @param tlsRejections TLS connections this node refused, by reason (no frame of them was read)
 * @param tlsReloads times new TLS key material was taken into use
 * @param tlsReloadFailures reloads refused because the new material was unusable (the old stays)
 * @param failures messages on which one of the node's actors failed (each also a {@link
 *     GossipEvent.NodeFailure})
 */
public record MetricsSnapshot(
    long delivered,
    long duplicates,
    long ihaveSent,
    long graftSent,
    long pruneSent,
    Map<DropReason, Long> framesDropped,
    long queueDrops,
    long subscriberLag,
    long bytesSent,
    long bytesReceived,
    int activeViewSize,
    int passiveViewSize,
    int eagerPeers,
    int lazyPeers,
    int openLinks,
    int inboundQueued,
    int inboundQueuedPeak,
    double rmr,
    int ldh,
    Map<TlsRejection, Long> tlsRejections,
    long tlsReloads,
    long tlsReloadFailures,
    long failures) {

  public MetricsSnapshot {
    framesDropped = Map.copyOf(framesDropped);
    tlsRejections = Map.copyOf(tlsRejections);
  }

  /** TLS connections refused for one reason. */
  public long tlsRejections(TlsRejection reason) {
    return tlsRejections.getOrDefault(reason, 0L);
  }

  /** Links closed for one reason. */
  public long framesDropped(DropReason reason) {
    return framesDropped.getOrDefault(reason, 0L);
  }
}
