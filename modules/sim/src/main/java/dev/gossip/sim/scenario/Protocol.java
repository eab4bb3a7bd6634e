package dev.gossip.sim.scenario;

import dev.gossip.core.GossipSettings;
import dev.gossip.core.dissemination.PlumtreeSettings;
import dev.gossip.core.heartbeat.HeartbeatSettings;
import dev.gossip.core.membership.MembershipSettings;
import dev.gossip.core.recovery.RecoverySettings;
import dev.gossip.sim.engine.LatencyModel;
import dev.gossip.sim.engine.NetworkModel;
import java.time.Duration;

/**
 * The protocol and network of one series: the core's defaults with a scenario's overrides. The
 * paper series switch the project's extensions off: anti-entropy by an interval longer than any
 * run, revival probes by a suspect retention too short for any suspect to reach a probe, the
 * adaptive graft timeout by a maximum equal to the least, the IHave delay that follows the link's
 * round trip by a maximum equal to the least, the re-join fallback in the network (see {@link
 * NetworkModel#rejoin()}).
 */
public record Protocol(GossipSettings settings, NetworkModel network) {

  /** Long enough that a periodic timer never fires within a simulation. */
  private static final Duration NEVER = Duration.ofDays(3650);

  /** Suspects expire before the shuffle tick that would probe them. */
  private static final Duration NO_SUSPECTS = Duration.ofNanos(1);

  /** Disables the Plumtree optimisation: no tree is that deep. */
  public static final int NO_OPTIMIZATION = 1_000_000;

  public static Protocol of(Scenario s, boolean extensions, int optimizationThreshold, long seed) {
    MembershipSettings m = MembershipSettings.defaults();
    m =
        new MembershipSettings(
            s.integer(ScenarioKey.ACTIVE_VIEW, m.activeViewSize()),
            s.integer(ScenarioKey.PASSIVE_VIEW, m.passiveViewSize()),
            s.integer(ScenarioKey.ARWL, m.activeRandomWalkLength()),
            s.integer(ScenarioKey.PRWL, m.passiveRandomWalkLength()),
            s.integer(ScenarioKey.KA, m.shuffleActiveCount()),
            s.integer(ScenarioKey.KP, m.shufflePassiveCount()),
            s.duration(ScenarioKey.CYCLE, "10s"),
            m.neighborRequestTimeout(),
            m.rejoinBackoffMin(),
            m.rejoinBackoffMax(),
            extensions ? m.suspectRetention() : NO_SUSPECTS);
    PlumtreeSettings p = PlumtreeSettings.defaults();
    Duration ihave = s.duration(ScenarioKey.IHAVE_INTERVAL, p.ihaveInterval().toMillis() + "ms");
    p =
        new PlumtreeSettings(
            ihave,
            extensions
                ? s.duration(ScenarioKey.MAX_IHAVE_INTERVAL, p.maxIHaveInterval().toMillis() + "ms")
                : ihave,
            p.maxIHaveBatch(),
            optimizationThreshold,
            p.seenCapacity(),
            p.seenRetention(),
            p.cacheCapacity(),
            p.cacheBytes(),
            p.cacheRetention());
    RecoverySettings r = RecoverySettings.defaults();
    r =
        recovery(
            r,
            r.graftTimeout(),
            r.secondGraftTimeout(),
            extensions ? r.maxGraftTimeout() : r.graftTimeout(),
            extensions ? s.duration(ScenarioKey.ANTI_ENTROPY_INTERVAL, "5s") : NEVER);
    HeartbeatSettings h =
        new HeartbeatSettings(
            s.duration(ScenarioKey.HEARTBEAT_INTERVAL, "1s"),
            s.duration(ScenarioKey.HEARTBEAT_TIMEOUT, "5s"));
    NetworkModel network =
        new NetworkModel(
            LatencyModel.parse(s.text(ScenarioKey.LATENCY, "per-link 5ms 25ms"), seed),
            s.decimal(ScenarioKey.LOSS, 0),
            s.duration(ScenarioKey.CONNECT_TIMEOUT, "1s"),
            extensions,
            s.decimal(ScenarioKey.TCP_LOSS, 0),
            s.duration(
                ScenarioKey.RETRANSMISSION_TIMEOUT, NetworkModel.LINUX_MIN_RTO.toMillis() + "ms"),
            s.duration(ScenarioKey.SERVICE_TIME, "0ms"));
    return new Protocol(new GossipSettings(m, p, r, h), network);
  }

  /** {@code r} with its graft timers and anti-entropy interval replaced. */
  static RecoverySettings recovery(
      RecoverySettings r, Duration graft, Duration second, Duration max, Duration antiEntropy) {
    return new RecoverySettings(
        graft,
        second,
        max,
        r.maxMissing(),
        r.maxAnnouncers(),
        antiEntropy,
        r.historyCapacity(),
        r.historyBytes(),
        r.historyRetention(),
        r.maxOrigins(),
        r.maxGapsPerOrigin(),
        r.maxResendPerDigest());
  }

  public Duration cycle() {
    return settings.membership().shuffleInterval();
  }
}
