package dev.gossip.pekko.internal.role;

import dev.gossip.core.GossipSettings;
import dev.gossip.core.NodeId;
import dev.gossip.pekko.internal.NodeMetrics;
import dev.gossip.pekko.internal.link.InboundGate;
import dev.gossip.pekko.internal.wire.Codec;

/** What every role actor of a node is made with: the node's identity, settings and shared parts. */
public record RoleNode(
    NodeId self, GossipSettings settings, Codec codec, NodeMetrics metrics, InboundGate gate) {}
