package dev.gossip.sim.scenario;

import dev.gossip.core.GossipSettings;
import dev.gossip.core.NodeId;
import dev.gossip.core.ProtocolNode;
import dev.gossip.core.dissemination.PlumtreeSettings;
import dev.gossip.core.recovery.RecoverySettings;
import dev.gossip.sim.engine.Durations;
import dev.gossip.sim.engine.Simulation;
import dev.gossip.sim.metrics.DeliveryLog;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Many senders at a steady rate over a lossy network with per-link latencies: the load under which
 * a tree per origin (or, in the papers, one eager/lazy split for all) is tested. After the overlay
 * warms up, {@code multi.senders} random nodes each broadcast {@code multi.rate} messages per
 * second (phases drawn at random); the first {@code multi.warm} lets the tree settle, the
 * broadcasts of the next {@code multi.measure} are measured, and the run goes on for {@code
 * multi.drain} so that late deliveries count. Reported per delivery: latency percentiles, grafts,
 * payload messages (RMR), the share that came through a graft; the nodes left without an eager peer
 * in a sender's tree; and, over the measured window, the share of messages the network
 * retransmitted and of inputs that waited for a busy node, with their mean wait.
 */
final class MultiSenderScenario {
  private MultiSenderScenario() {}

  private static final long SECOND = 1_000_000_000L;

  static void run(Scenario s, long seed, boolean mailboxes, Outcome outcome) {
    String series = mailboxes ? "mailboxes" : "synchronous";
    // Without the keys, the core's defaults: the threshold and the graft timers' bound.
    Protocol defaults =
        Protocol.of(
            s,
            true,
            s.integer(
                ScenarioKey.OPTIMIZATION_THRESHOLD,
                PlumtreeSettings.defaults().optimizationThreshold()),
            seed);
    GossipSettings g = defaults.settings();
    Protocol protocol =
        new Protocol(
            new GossipSettings(
                g.membership(), g.dissemination(), graftTimers(s, g.recovery()), g.heartbeat()),
            defaults.network());
    Simulation sim = Overlays.build(s, protocol, seed, mailboxes);
    DeliveryLog log = new DeliveryLog(sim);
    sim.observe(log);
    SplittableRandom random = new SplittableRandom(seed * 7_919 + 3);
    int[] origins = sim.liveNodes();
    FailureScenario.shuffle(origins, random);
    int senders = Math.min(s.integer(ScenarioKey.MULTI_SENDERS, 50), origins.length);
    long period = (long) (SECOND / s.decimal(ScenarioKey.MULTI_RATE, 2));
    long start = sim.now();
    long[] next = new long[senders];
    for (int i = 0; i < senders; i++) {
      next[i] = start + random.nextLong(period);
    }
    long measureFrom = start + s.duration(ScenarioKey.MULTI_WARM, "10s").toNanos();
    long measureTo = measureFrom + s.duration(ScenarioKey.MULTI_MEASURE, "20s").toNanos();
    int withoutEager = 0;
    long sampleAt = measureFrom;
    int sent = 0;
    Counters atStart = null;
    while (true) {
      int sender = 0;
      for (int i = 1; i < senders; i++) {
        if (next[i] < next[sender]) {
          sender = i;
        }
      }
      long at = next[sender];
      for (; sampleAt <= Math.min(at, measureTo); sampleAt += SECOND) {
        sim.runUntil(sampleAt);
        if (atStart == null) {
          atStart = Counters.of(sim);
        }
        withoutEager = Math.max(withoutEager, withoutEagerPeer(sim, origins, senders));
      }
      if (at >= measureTo) {
        break;
      }
      sim.runUntil(at);
      log.measuring(at >= measureFrom);
      sim.broadcast(origins[sender], Overlays.payload(sent++));
      next[sender] += period;
    }
    log.measuring(false);
    Counters window = Counters.of(sim).minus(atStart);
    int withoutEagerAtEnd = withoutEagerPeer(sim, origins, senders);
    int eagerLinks = eagerLinks(sim);
    sim.runUntil(measureTo + s.duration(ScenarioKey.MULTI_DRAIN, "5s").toNanos());

    double ldh = log.meanLastDeliveryHop();
    double meanLinkMs = meanLinkLatency(sim, protocol) / 1e6;
    double expected = (double) log.broadcasts() * (sim.liveCount() - 1);
    add(outcome, series, "broadcasts", log.broadcasts());
    add(outcome, series, "reliability", 100 * log.deliveries() / expected);
    add(outcome, series, "p50-ms", log.latencyQuantile(0.50) / 1e6);
    add(outcome, series, "p90-ms", log.latencyQuantile(0.90) / 1e6);
    add(outcome, series, "p99-ms", log.latencyQuantile(0.99) / 1e6);
    add(outcome, series, "p99.9-ms", log.latencyQuantile(0.999) / 1e6);
    add(outcome, series, "max-ms", log.latencyQuantile(1) / 1e6);
    add(outcome, series, "ldh", ldh);
    add(outcome, series, "mean-link-ms", meanLinkMs);
    add(outcome, series, "p99-target-ms", 1.5 * ldh * meanLinkMs);
    add(outcome, series, "rmr", log.relativeMessageRedundancy());
    add(outcome, series, "grafts-per-delivery", log.graftsPerDelivery());
    add(outcome, series, "prunes-per-delivery", log.prunesPerDelivery());
    add(outcome, series, "through-graft-%", 100 * log.throughGraft());
    add(outcome, series, "no-eager-nodes-end", withoutEagerAtEnd);
    add(outcome, series, "no-eager-nodes-max", withoutEager);
    add(outcome, series, "eager-links-end", eagerLinks);
    add(
        outcome,
        series,
        "retransmitted-%",
        Counters.percent(window.retransmitted, window.transmitted));
    add(outcome, series, "waited-%", Counters.percent(window.waits, window.handled));
    add(
        outcome,
        series,
        "mean-wait-us",
        window.waits == 0 ? 0 : window.waited / 1e3 / window.waits);
    outcome.countEvents(sim.handledEvents());
  }

  /** The engine's counters at one instant, to report the measured window's share. */
  private record Counters(
      long transmitted, long retransmitted, long handled, long waits, long waited) {
    static Counters of(Simulation sim) {
      return new Counters(
          sim.transmittedMessages(),
          sim.retransmittedMessages(),
          sim.handledEvents(),
          sim.inboxWaits(),
          sim.totalInboxWait());
    }

    Counters minus(Counters o) {
      return new Counters(
          transmitted - o.transmitted,
          retransmitted - o.retransmitted,
          handled - o.handled,
          waits - o.waits,
          waited - o.waited);
    }

    static double percent(long part, long whole) {
      return whole == 0 ? 0 : 100.0 * part / whole;
    }
  }

  private static void add(Outcome outcome, String series, String x, double measured) {
    outcome.add(new Row("multi-sender", series, x, Double.NaN, measured));
  }

  /**
   * Live nodes with neighbours but no eager peer in one of the senders' trees: cut off from that
   * sender's tree until a graft. A node without a tree for a sender yet is not counted (its next
   * message starts one).
   */
  private static int withoutEagerPeer(Simulation sim, int[] origins, int senders) {
    int n = 0;
    for (int i : sim.liveNodes()) {
      ProtocolNode node = sim.node(i);
      if (!node.membership().activeView().isEmpty() && cutOff(sim, node, i, origins, senders)) {
        n++;
      }
    }
    return n;
  }

  private static boolean cutOff(
      Simulation sim, ProtocolNode node, int index, int[] origins, int senders) {
    for (int k = 0; k < senders; k++) {
      if (origins[k] != index && node.dissemination().eagerPeers(sim.id(origins[k])).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Eager links, counting a link eager at both ends once (a spanning tree has n - 1). */
  private static int eagerLinks(Simulation sim) {
    int ends = 0;
    for (int i : sim.liveNodes()) {
      ends += sim.node(i).dissemination().eagerPeers().size();
    }
    return ends / 2;
  }

  /** Mean one-way latency over the active-view links, in nanoseconds. */
  private static double meanLinkLatency(Simulation sim, Protocol protocol) {
    SplittableRandom random = new SplittableRandom(0);
    long sum = 0;
    int links = 0;
    for (int i : sim.liveNodes()) {
      for (NodeId peer : sim.node(i).membership().activeView()) {
        int j = sim.resolve(peer);
        if (j >= 0) {
          sum += protocol.network().latency().sample(i, j, random);
          links++;
        }
      }
    }
    return links == 0 ? 0 : (double) sum / links;
  }

  /**
   * {@code r} with the file's graft timers: {@code multi.graft-timeout} and {@code
   * multi.second-graft-timeout} the least waits, {@code multi.max-graft-timeout} {@code off} to
   * keep them fixed (the paper's; the bound is then the longer of the two, as in gossip-pekko) or a
   * duration they adapt up to (2 s: the core's and gossip-pekko's default).
   *
   * @throws dev.gossip.core.InvalidSettingException if the core refuses the combination
   */
  static RecoverySettings graftTimers(Scenario s, RecoverySettings r) {
    Duration least =
        s.duration(ScenarioKey.MULTI_GRAFT_TIMEOUT, r.graftTimeout().toMillis() + "ms");
    Duration second =
        s.duration(
            ScenarioKey.MULTI_SECOND_GRAFT_TIMEOUT, r.secondGraftTimeout().toMillis() + "ms");
    String max = s.text(ScenarioKey.MULTI_MAX_GRAFT_TIMEOUT, r.maxGraftTimeout().toMillis() + "ms");
    Duration bound =
        max.equals("off") ? Collections.max(List.of(least, second)) : Durations.parse(max);
    return Protocol.recovery(r, least, second, bound, r.antiEntropyInterval());
  }
}
