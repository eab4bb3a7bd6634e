package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The checker's guarantee, on histories written by hand (no processes). */
class HistoryTest {

  private static final Duration RETENTION = Duration.ofMinutes(2);
  private static final List<String> ALL = List.of("n0", "n1", "n2");

  private final History history = new History();
  private final MessageId m = new MessageId(new NodeId("127.0.0.1", 1000, 1), 1);

  @BeforeEach
  void joinAll() {
    ALL.forEach(history::joined);
    advance();
  }

  @Test
  void aMessageEverywhereOnceIsClean() {
    deliver("n0", "n1", "n2");
    History.Report report = history.check(ALL, RETENTION);
    assertTrue(report.ok(), report::toString);
    assertEquals(2, report.phases().get(0).expected());
  }

  @Test
  void aSecondDeliveryIsADuplicate() {
    deliver("n0", "n1", "n2", "n2");
    History.Report report = history.check(ALL, RETENTION);
    assertEquals(List.of("duplicate: n2 delivered " + m + " 2 times"), report.violations());
    assertEquals(1, report.phases().get(0).duplicates());
  }

  @Test
  void aReceiverWithoutTheMessageIsMissingIt() {
    deliver("n0", "n1");
    History.Report report = history.check(ALL, RETENTION);
    assertEquals(1, report.violations().size(), report::toString);
    assertTrue(report.violations().get(0).startsWith("missing: n2 never delivered " + m));
  }

  @Test
  void aPartitionHealedWithinTheRetentionExcusesNothing() {
    history.cut("", List.of(Set.of("n0", "n1"), Set.of("n2")), "partition [n0,n1]|[n2]");
    deliver("n0", "n1");
    advance();
    history.healed("");
    History.Report report = history.check(ALL, RETENTION);
    assertEquals(1, report.violations().size(), report::toString);
    assertTrue(report.violations().get(0).contains("faults [partition [n0,n1]|[n2]]"));
  }

  @Test
  void aHealEndsTheCutsOfItsLayerOnly() {
    history.cut("kernel ", List.of(Set.of("n0", "n1"), Set.of("n2")), "kernel partition");
    history.healed("");
    deliver("n0", "n1");
    assertEquals(List.of("kernel partition"), history.broadcasts().get(0).faults());
    History.Report report = history.check(ALL, RETENTION);
    assertTrue(report.ok(), "n2 is still cut off, so not owed the message: " + report);
  }

  @Test
  void aReceiverCutOffLongerThanTheRetentionIsExcused() {
    history.froze("n2");
    deliver("n0", "n1");
    advance();
    history.thawed("n2");
    History.Report report = history.check(ALL, Duration.ZERO);
    assertTrue(report.ok(), report::toString);
    assertEquals(1, report.phases().get(0).expected());
  }

  @Test
  void aMessageOnlyItsCrashedOriginDeliveredIsNotOwed() {
    deliver("n0");
    history.stopped("n0", "killed");
    History.Report report = history.check(List.of("n1", "n2"), RETENTION);
    assertTrue(report.ok(), report::toString);
    assertEquals(0, report.phases().get(0).expected());
  }

  @Test
  void aNodeThatJoinedAfterTheBroadcastIsNotOwedIt() {
    deliver("n0", "n1", "n2");
    advance();
    history.joined("n3");
    History.Report report = history.check(List.of("n0", "n1", "n2", "n3"), RETENTION);
    assertTrue(report.ok(), report::toString);
  }

  /** n0 is the origin: its delivery is the broadcast. */
  private void deliver(String... nodes) {
    for (String node : nodes) {
      history.delivered(node, node.equals("n0"), m, History.now());
    }
  }

  /** Lets the microsecond clock move on, so the next record is strictly later. */
  private static void advance() {
    long now = History.now();
    while (History.now() == now) {
      Thread.onSpinWait();
    }
  }
}
