package dev.gossip.core;

import dev.gossip.core.dissemination.PlumtreeSettings;
import dev.gossip.core.heartbeat.HeartbeatSettings;
import dev.gossip.core.membership.MembershipSettings;
import dev.gossip.core.recovery.RecoverySettings;
import java.util.Objects;

/** All protocol settings of a node, checked against each other where roles depend on each other. */
public record GossipSettings(
    MembershipSettings membership,
    PlumtreeSettings dissemination,
    RecoverySettings recovery,
    HeartbeatSettings heartbeat) {

  public GossipSettings {
    Objects.requireNonNull(membership, "membership");
    Objects.requireNonNull(dissemination, "dissemination");
    Objects.requireNonNull(recovery, "recovery");
    Objects.requireNonNull(heartbeat, "heartbeat");
    // A resendable message must still be remembered as seen, or a resend would deliver it twice.
    Check.that(
        dissemination.seenRetention().compareTo(recovery.historyRetention()) >= 0,
        "dissemination.seen-retention",
        "must be >= recovery.history-retention (" + recovery.historyRetention() + ")");
    Check.that(
        dissemination.seenCapacity() >= recovery.historyCapacity(),
        "dissemination.seen-capacity",
        "must be >= recovery.history-capacity (" + recovery.historyCapacity() + ")");
    Check.that(
        dissemination.cacheRetention().compareTo(recovery.graftTimeout()) > 0,
        "dissemination.cache-retention",
        "must be longer than recovery.graft-timeout (" + recovery.graftTimeout() + ")");
  }

  public static GossipSettings defaults() {
    return new GossipSettings(
        MembershipSettings.defaults(),
        PlumtreeSettings.defaults(),
        RecoverySettings.defaults(),
        HeartbeatSettings.defaults());
  }
}
