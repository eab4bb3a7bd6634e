package dev.gossip.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventQueueTest {

  @Test
  void eventsComeOutByTimeThenByScheduleOrder() {
    EventQueue q = new EventQueue();
    SplittableRandom random = new SplittableRandom(1);
    List<long[]> pushed = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      long at = random.nextLong(100);
      long seq = q.push(at, i, null);
      pushed.add(new long[] {at, seq});
    }
    pushed.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    for (long[] expected : pushed) {
      q.poll();
      assertEquals(expected[0], q.polledTime);
      assertEquals(expected[1], q.polledSequence);
    }
    assertTrue(q.isEmpty());
  }

  @Test
  void staysOrderedWhileTheQueueDrainsAndRefills() {
    EventQueue q = new EventQueue();
    long time = 0;
    for (int round = 0; round < 50; round++) {
      for (int i = 0; i < 3_000; i++) {
        q.push(time + i % 7, i, "x");
      }
      for (int i = 0; i < 3_000; i++) {
        q.poll();
        assertTrue(q.polledTime >= time);
        time = q.polledTime;
      }
    }
    assertEquals(0, q.size());
  }
}
