package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gossip.core.MessageId;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Subscriptions in their three forms, a subscriber that falls behind, and the typed errors. */
class SubscriberAndErrorsTest {

  private final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(TestNode::close);
  }

  private TestNode[] pair() throws Exception {
    TestNode a = TestNode.start("gossip.publish-to-event-stream = on");
    TestNode b = TestNode.start();
    nodes.add(a);
    nodes.add(b);
    a.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    b.gossip.join(List.of(a.address())).toCompletableFuture().get(20, TimeUnit.SECONDS);
    return new TestNode[] {a, b};
  }

  @Test
  void aSubscriberThatDoesNotReadIsToldWhatItMissedAndHoldsNoOthersUp() throws Exception {
    TestNode[] pair = pair();
    TestNode a = pair[0];
    TestNode b = pair[1];
    SinkQueueWithCancel<GossipEvent> stalled = a.gossip.events(4).runWith(Sink.queue(), a.system);
    TestProbe<GossipEvent> actor = TestProbe.create(a.system);
    a.gossip.subscribe(actor.ref());
    TestProbe<GossipEvent.Delivery> onEventStream = TestProbe.create(a.system);
    a.system
        .eventStream()
        .tell(new EventStream.Subscribe<>(GossipEvent.Delivery.class, onEventStream.ref()));
    // Subscriptions are in place when subscribe() returns and when the Source is materialized.
    b.gossip.broadcast(new byte[] {0}).toCompletableFuture().get(5, TimeUnit.SECONDS);
    TestNode.await(Duration.ofSeconds(10), "the first delivery", () -> a.deliveries.size() == 1);
    actor.expectMessageClass(GossipEvent.Delivery.class);
    onEventStream.expectMessageClass(GossipEvent.Delivery.class);

    int n = 300;
    List<MessageId> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ids.add(
          b.gossip.broadcast(new byte[] {(byte) i}).toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
    TestNode.await(
        Duration.ofSeconds(20),
        "the other subscribers to receive everything",
        () -> ids.stream().allMatch(id -> a.delivered(id) == 1));
    for (int i = 0; i < n; i++) {
      actor.expectMessageClass(GossipEvent.Delivery.class);
      onEventStream.expectMessageClass(GossipEvent.Delivery.class);
    }
    long lag = a.gossip.metrics().subscriberLag();
    assertTrue(lag >= n - 40, "lag reported: " + lag);

    // The missed count comes before the next event the subscriber gets: read what was buffered,
    // and whenever the reader waits, broadcast one more so that there is a next event.
    long published = n + 1;
    long seen = 0;
    long missed = 0;
    boolean missedReported = false;
    java.util.concurrent.CompletableFuture<Optional<GossipEvent>> pull =
        stalled.pull().toCompletableFuture();
    while (!(missedReported && seen + missed == published)) {
      try {
        GossipEvent e = pull.get(200, TimeUnit.MILLISECONDS).orElseThrow();
        if (e instanceof GossipEvent.Missed m) {
          // Only deliveries happen here, so every event missed is a delivery missed.
          assertEquals(m.count(), m.deliveries());
          missed += m.count();
          missedReported = true;
        } else {
          seen++;
        }
        pull = stalled.pull().toCompletableFuture();
      } catch (java.util.concurrent.TimeoutException idle) {
        assertTrue(published < n + 50, "no missed count after " + (published - n) + " more events");
        b.gossip.broadcast(new byte[] {9}).toCompletableFuture().get(5, TimeUnit.SECONDS);
        published++;
      }
    }
    assertEquals(published, seen + missed);
    assertTrue(missed >= n - 40, "missed: " + missed);
    stalled.cancel();
  }

  @Test
  void typedErrorsForNotJoinedTooLargeAndUnreachableContacts() throws Exception {
    TestNode node = TestNode.start();
    nodes.add(node);
    Throwable notJoined = failure(node.gossip.broadcast(new byte[1]));
    assertInstanceOf(NotJoinedException.class, notJoined);

    int free;
    try (ServerSocket probe = new ServerSocket(0)) {
      free = probe.getLocalPort();
    }
    Throwable unreachable = failure(node.gossip.join(List.of("127.0.0.1:" + free)));
    NoContactReachableException e =
        assertInstanceOf(NoContactReachableException.class, unreachable);
    assertEquals(List.of("127.0.0.1:" + free), e.tried());

    byte[] tooLarge = new byte[node.gossip.maxPayloadSize() + 1];
    PayloadTooLargeException large =
        assertInstanceOf(PayloadTooLargeException.class, failure(node.gossip.broadcast(tooLarge)));
    assertEquals(node.gossip.maxPayloadSize(), large.limit());
    assertTrue(large.getMessage().contains(String.valueOf(large.limit())));
  }

  @Test
  void publishAndBroadcastCheckTheirArgumentOnTheCallersThreadAndTheNodeGoesOn() throws Exception {
    TestNode node = TestNode.start();
    nodes.add(node);
    assertThrows(NotJoinedException.class, () -> node.gossip.publish(new byte[1]));
    node.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThrows(NullPointerException.class, () -> node.gossip.broadcast(null));
    assertThrows(NullPointerException.class, () -> node.gossip.publish(null));
    byte[] tooLarge = new byte[node.gossip.maxPayloadSize() + 1];
    assertThrows(PayloadTooLargeException.class, () -> node.gossip.publish(tooLarge));
    // The actor API answers a null payload with the typed error too, and keeps running.
    Throwable viaActor =
        failure(
            AskPattern.<GossipNode.Command, MessageId>askWithStatus(
                node.gossip.node(),
                r -> new GossipNode.Broadcast(null, r),
                Duration.ofSeconds(10),
                node.system.scheduler()));
    assertInstanceOf(NullPointerException.class, viaActor);

    node.gossip.publish(new byte[] {7});
    MessageId id =
        node.gossip.broadcast(new byte[] {8}).toCompletableFuture().get(5, TimeUnit.SECONDS);
    TestNode.await(
        Duration.ofSeconds(10),
        "the published and the broadcast message delivered",
        () -> node.deliveries.size() == 2 && node.delivered(id) == 1);
  }

  @Test
  void theEventStreamGetsNothingUnlessSwitchedOn() throws Exception {
    TestNode node = TestNode.start();
    nodes.add(node);
    TestProbe<GossipEvent.Delivery> onEventStream = TestProbe.create(node.system);
    node.system
        .eventStream()
        .tell(new EventStream.Subscribe<>(GossipEvent.Delivery.class, onEventStream.ref()));
    TestProbe<GossipEvent> actor = TestProbe.create(node.system);
    node.gossip.subscribe(actor.ref());
    node.gossip.join(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    node.gossip.broadcast(new byte[] {1}).toCompletableFuture().get(5, TimeUnit.SECONDS);
    actor.expectMessageClass(GossipEvent.Delivery.class);
    onEventStream.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void bindingAnAddressInUseGivesTheTypedError() {
    TestNode first = TestNode.start();
    nodes.add(first);
    int port = first.gossip.self().port();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> TestNode.start("gossip.port = " + port));
    BindFailedException bind = assertInstanceOf(BindFailedException.class, e.getCause().getCause());
    assertEquals(port, bind.port());
    assertTrue(bind.getMessage().contains("is in use"), bind.getMessage());
  }

  /** The bind can fail before the start request is even sent: the request still gets the error. */
  @Test
  void aStartRequestArrivingAfterTheBindFailedStillGetsTheTypedError() {
    TestNode first = TestNode.start();
    nodes.add(first);
    int port = first.gossip.self().port();
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(), "late-start", TestNode.config("gossip.port = " + port));
    Logger logger = (Logger) LoggerFactory.getLogger(GossipNode.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      ActorRef<GossipNode.Command> node =
          system.systemActorOf(
              GossipNode.create(NodeSettings.load(system.settings().config())),
              "late",
              Props.empty());
      TestNode.await(
          Duration.ofSeconds(10),
          "the bind failure to be logged",
          () ->
              List.copyOf(appender.list).stream()
                  .anyMatch(e -> e.getFormattedMessage().startsWith("cannot bind")));

      Throwable cause =
          failure(
              AskPattern.askWithStatus(
                  node, GossipNode.GetStarted::new, Duration.ofSeconds(10), system.scheduler()));

      assertEquals(port, assertInstanceOf(BindFailedException.class, cause).port());
    } finally {
      logger.detachAppender(appender);
      system.terminate();
    }
  }

  private static Throwable failure(java.util.concurrent.CompletionStage<?> stage) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> stage.toCompletableFuture().get(20, TimeUnit.SECONDS));
    return e.getCause();
  }
}
