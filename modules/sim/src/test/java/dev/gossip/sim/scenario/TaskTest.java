package dev.gossip.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class TaskTest {

  private static Scenario stable(String series) {
    Properties p = new Properties();
    p.setProperty("kind", "stable");
    p.setProperty("seeds", "2");
    Scenario s = new Scenario("s", p);
    return series == null ? s : s.with("series", series);
  }

  @Test
  void stableRunsBothSeriesUnlessTold() {
    assertEquals(
        List.of("s seed 1 plain", "s seed 1 optimised", "s seed 2 plain", "s seed 2 optimised"),
        Task.of(stable(null)).stream().map(Task::label).toList());
    assertEquals(
        List.of("s seed 1 plain", "s seed 2 plain"),
        Task.of(stable("plain")).stream().map(Task::label).toList());
  }

  @Test
  void anUnknownStableSeriesIsAnError() {
    assertThrows(ScenarioException.class, () -> stable("plain, optimized"));
  }
}
