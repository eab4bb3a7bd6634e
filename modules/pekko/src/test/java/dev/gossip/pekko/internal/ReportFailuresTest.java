package dev.gossip.pekko.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.gossip.pekko.GossipEvent;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A node's actor that fails on a message is reported, counted, and goes on with the next one. */
class ReportFailuresTest {

  private static final ActorTestKit TESTKIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    TESTKIT.shutdownTestKit();
  }

  @Test
  void aFailureIsPublishedAndCountedAndTheActorGoesOn() {
    NodeMetrics metrics = new NodeMetrics(10);
    Subscribers subscribers = new Subscribers(metrics, null);
    TestProbe<GossipEvent> events = TESTKIT.createTestProbe();
    subscribers.add(events.ref());
    TestProbe<String> handled = TESTKIT.createTestProbe();
    ActorRef<String> actor =
        TESTKIT.spawn(
            Behaviors.supervise(
                    Behaviors.intercept(
                        () -> new ReportFailures<>(String.class, "links", metrics, subscribers),
                        Behaviors.<String>receiveMessage(
                            m -> {
                              if (m.equals("bug")) {
                                throw new IllegalStateException("a bug");
                              }
                              handled.ref().tell(m);
                              return Behaviors.same();
                            })))
                .onFailure(SupervisorStrategy.resume()));

    actor.tell("bug");
    actor.tell("next");

    GossipEvent.NodeFailure failure =
        assertInstanceOf(GossipEvent.NodeFailure.class, events.receiveMessage());
    assertEquals("links", failure.component());
    assertEquals("a bug", failure.cause().getMessage());
    handled.expectMessage("next");
    assertEquals(1, metrics.snapshot().failures());
  }
}
