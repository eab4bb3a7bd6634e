package dev.gossip.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A small seeded multi-sender run in both compositions: what it counts and that it delivers. */
class MultiSenderScenarioTest {

  /** 100 nodes, 5 senders at 4/s; {@code network}: keys and values of the network model. */
  private static Results run(String... network) throws InterruptedException {
    Properties p = new Properties();
    p.setProperty("kind", "multi-sender");
    p.setProperty("nodes", "100");
    p.setProperty("warmup-cycles", "3");
    for (int i = 0; i < network.length; i += 2) {
      p.setProperty(network[i], network[i + 1]);
    }
    p.setProperty("multi.senders", "5");
    p.setProperty("multi.rate", "4");
    p.setProperty("multi.warm", "2s");
    p.setProperty("multi.measure", "5s");
    p.setProperty("multi.drain", "5s");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return Suite.run(List.of(new Scenario("multi-sender", p)), 2, quiet).results();
  }

  private static double value(Results r, String series, String x) {
    for (Results.Line l : r.lines()) {
      if (l.series().equals(series) && l.x().equals(x)) {
        return l.measured();
      }
    }
    throw new AssertionError("no row " + series + " " + x);
  }

  @Test
  void everyMeasuredBroadcastReachesEveryNodeInBothCompositionsDespiteLoss()
      throws InterruptedException {
    Results r = run("loss", "0.01");
    for (String series : List.of("synchronous", "mailboxes")) {
      // 5 senders x 4/s x 5 s, each phase drawn within the first period.
      assertEquals(100, value(r, series, "broadcasts"), series);
      assertEquals(100.0, value(r, series, "reliability"), 1e-9, series);
      double p50 = value(r, series, "p50-ms");
      double p99 = value(r, series, "p99-ms");
      assertTrue(p50 >= 5 && p50 <= p99 && p99 <= value(r, series, "max-ms"), series);
      assertTrue(value(r, series, "grafts-per-delivery") > 0, "1 % loss needs grafts: " + series);
      assertTrue(value(r, series, "through-graft-%") > 0, series);
      // Loss for good: nothing is retransmitted; no service time: nothing waits.
      assertEquals(0.0, value(r, series, "retransmitted-%"), series);
      assertEquals(0.0, value(r, series, "waited-%"), series);
    }
  }

  @Test
  void overRetransmittingJitteredLinksAndBusyNodesNothingIsLostAndTheEffectsAreCounted()
      throws InterruptedException {
    Results r =
        run(
            "latency", "per-link 5ms 25ms jitter 2ms",
            "tcp-loss", "0.01",
            "service-time", "1ms");
    for (String series : List.of("synchronous", "mailboxes")) {
      assertEquals(100.0, value(r, series, "reliability"), 1e-9, series);
      double retransmitted = value(r, series, "retransmitted-%");
      assertTrue(retransmitted > 0.5 && retransmitted < 1.5, series + ": " + retransmitted);
      assertTrue(value(r, series, "waited-%") > 0, series);
      assertTrue(value(r, series, "mean-wait-us") > 0, series);
    }
  }

  @Test
  void aGraftTimeoutLongerThanTheRetransmissionsWaitsForTheTreesLateCopies()
      throws InterruptedException {
    String latency = "per-link 5ms 25ms jitter 2ms";
    Results defaults = run("latency", latency, "tcp-loss", "0.01");
    Results patient =
        run(
            "latency", latency,
            "tcp-loss", "0.01",
            "multi.graft-timeout", "1s",
            "multi.max-graft-timeout", "off");
    for (String series : List.of("synchronous", "mailboxes")) {
      double before = value(defaults, series, "through-graft-%");
      double after = value(patient, series, "through-graft-%");
      assertTrue(before > 0, series + ": the 80 ms timer grafts some retransmitted pushes");
      assertTrue(after < before, series + ": " + after + " % against " + before + " %");
      assertEquals(100.0, value(patient, series, "reliability"), 1e-9, series);
    }
  }
}
