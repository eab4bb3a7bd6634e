package dev.gossip.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.pekko.DropReason;
import dev.gossip.pekko.MetricsSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeterReportTest {

  private static MetricsSnapshot snapshot(double rmr) {
    return new MetricsSnapshot(
        12,
        3,
        40,
        2,
        1,
        Map.of(DropReason.MALFORMED, 5L),
        0,
        0,
        2048,
        4096,
        4,
        17,
        3,
        1,
        5,
        0,
        9,
        rmr,
        6,
        Map.of(),
        0,
        0,
        0);
  }

  @Test
  void everyMeterIsPrintedByNameWithReasonsOnlyWhenNotZero() {
    List<String> lines = new MeterReport(() -> snapshot(0.25)).lines(100);
    String all = String.join("  ", lines);

    assertTrue(all.startsWith("gossip.active.view.size 4  gossip.bytes.received 4096"), all);
    for (String meter :
        List.of(
            "gossip.delivered 12",
            "gossip.duplicates 3",
            "gossip.ihave.sent 40",
            "gossip.passive.view.size 17",
            "gossip.inbound.queued.peak 9",
            "gossip.frames.dropped{reason=malformed} 5",
            "gossip.rmr 0.250",
            "gossip.ldh 6",
            "gossip.failures 0")) {
      assertTrue(all.contains(meter), meter + " in " + all);
    }
    assertFalse(all.contains("reason=oversize"), all);
    assertFalse(all.contains("gossip.tls.rejections"), all);
    lines.forEach(l -> assertTrue(l.length() <= 100, l));
    assertTrue(lines.size() > 1);
  }

  @Test
  void anRmrBeforeAnyReceiptIsNaN() {
    String all = String.join("  ", new MeterReport(() -> snapshot(Double.NaN)).lines(100));

    assertTrue(all.contains("gossip.rmr NaN"), all);
  }

  @Test
  void aMeterWiderThanTheLineGetsALineOfItsOwn() {
    List<String> lines = new MeterReport(() -> snapshot(0.25)).lines(10);

    assertEquals("gossip.active.view.size 4", lines.get(0));
    assertEquals("gossip.bytes.received 4096", lines.get(1));
  }
}
