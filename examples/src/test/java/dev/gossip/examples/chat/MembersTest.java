package dev.gossip.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gossip.core.NodeId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembersTest {

  /** A clock the test moves. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-12-03T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final NodeId bob = new NodeId("127.0.0.1", 7001, 1);
  private final NodeId carol = new NodeId("127.0.0.1", 7002, 1);
  private final NodeId dave = new NodeId("127.0.0.1", 7003, 1);

  @Test
  void aMemberThatLeftIsForgottenAtOnce() {
    Members members = new Members(new ManualClock());
    members.heard(bob);
    members.heard(carol);
    members.left(bob);
    assertEquals(List.of(carol), members.current(Set.of()));
  }

  @Test
  void aSilentMemberIsForgottenUnlessItIsANeighbour() {
    ManualClock clock = new ManualClock();
    Members members = new Members(clock);
    members.heard(bob);
    members.heard(carol);
    members.heard(dave);
    clock.advance(Members.FORGET_AFTER.minusSeconds(1));
    members.heard(carol);
    clock.advance(Duration.ofSeconds(2));
    assertEquals(List.of(carol, dave), members.current(Set.of(dave)));
    // Once pruned, a member comes back only when heard from again.
    assertEquals(List.of(carol), members.current(Set.of()));
    members.heard(bob);
    assertEquals(List.of(carol, bob), members.current(Set.of()));
  }
}
