package dev.gossip.pekko.internal.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.pekko.internal.NodeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The inbound bound holds over links taking room at once, and waiting links are woken. */
class InboundGateTest {

  private static final int LIMIT = 64;

  @Test
  void linksTakingRoomAtOnceNeverPassTheBound() throws Exception {
    NodeMetrics metrics = new NodeMetrics(1);
    InboundGate gate = new InboundGate(metrics, LIMIT);
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<Void>> links = new ArrayList<>();
    for (int link = 0; link < 4; link++) {
      SplittableRandom random = new SplittableRandom(link);
      links.add(
          CompletableFuture.runAsync(
              () -> {
                await(start);
                for (int i = 0; i < 100_000; i++) {
                  int taken = gate.reserve(1 + random.nextInt(LIMIT));
                  if (taken > 0) {
                    gate.handled(taken);
                  }
                }
              }));
    }
    start.countDown();
    CompletableFuture.allOf(links.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertTrue(
        metrics.snapshot().inboundQueuedPeak() <= LIMIT,
        "peaked at " + metrics.snapshot().inboundQueuedPeak());
    assertEquals(0, metrics.inboundQueued());
  }

  @Test
  void aLinkWaitingForRoomIsWokenOnceTheQueueIsDownToHalf() {
    NodeMetrics metrics = new NodeMetrics(1);
    InboundGate gate = new InboundGate(metrics, LIMIT);
    assertEquals(LIMIT, gate.reserve(LIMIT + 10));
    assertEquals(0, gate.reserve(1));
    AtomicInteger woken = new AtomicInteger();
    gate.awaitRoom(woken::incrementAndGet);
    gate.handled(LIMIT / 2 - 1);
    assertEquals(0, woken.get(), "woken above half");
    gate.handled(1);
    assertEquals(1, woken.get());
    gate.handled(LIMIT / 2);
    assertEquals(1, woken.get(), "woken twice");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
