package dev.gossip.pekko.internal;

import dev.gossip.core.dissemination.Delivered;
import dev.gossip.pekko.GossipEvent;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;

/**
 * A node's event subscribers, published to straight from the role that emits an event (the
 * dissemination actor for deliveries), on its own thread: actor subscribers get each event in their
 * mailbox, Source subscriptions through their bounded queue (a full one counts what its consumer
 * missed), and the ActorSystem's event stream only if {@code gossip.publish-to-event-stream} is on.
 * Changes to the sets come from the node actor; publishing may run on any thread.
 */
public final class Subscribers {

  /** A Source subscription and what it missed since its last successful offer. */
  private static final class QueueSubscription {
    final BoundedSourceQueue<GossipEvent> queue;
    long missed;
    long missedDeliveries;

    QueueSubscription(BoundedSourceQueue<GossipEvent> queue) {
      this.queue = queue;
    }
  }

  private final Set<ActorRef<GossipEvent>> actors = new CopyOnWriteArraySet<>();
  private final List<QueueSubscription> queues = new CopyOnWriteArrayList<>();
  private final NodeMetrics metrics;

  /** The system whose event stream gets every event, or null. */
  private final ActorSystem<?> eventStream;

  public Subscribers(NodeMetrics metrics, ActorSystem<?> eventStream) {
    this.metrics = metrics;
    this.eventStream = eventStream;
  }

  /** Adds an actor subscriber; false if it was one already. */
  public boolean add(ActorRef<GossipEvent> subscriber) {
    return actors.add(subscriber);
  }

  /** Removes an actor subscriber; false if it was none. */
  public boolean remove(ActorRef<GossipEvent> subscriber) {
    return actors.remove(subscriber);
  }

  public void add(BoundedSourceQueue<GossipEvent> queue) {
    queues.add(new QueueSubscription(queue));
  }

  /** Publishes a delivery; nothing is built when nobody listens. */
  public void delivered(Delivered d) {
    if (!actors.isEmpty() || !queues.isEmpty() || eventStream != null) {
      publish(new GossipEvent.Delivery(d.id(), d.id().origin(), d.payload(), d.hops()));
    }
  }

  public void publish(GossipEvent event) {
    for (ActorRef<GossipEvent> subscriber : actors) {
      subscriber.tell(event);
    }
    if (eventStream != null) {
      eventStream.eventStream().tell(new EventStream.Publish<>(event));
    }
    for (QueueSubscription sub : queues) {
      boolean open;
      synchronized (sub) {
        open = offer(sub, event);
      }
      if (!open) {
        queues.remove(sub);
      }
    }
  }

  private void missed(QueueSubscription sub, GossipEvent event) {
    sub.missed++;
    if (event instanceof GossipEvent.Delivery) {
      sub.missedDeliveries++;
    }
    metrics.subscriberLag.increment();
  }

  /** Offers an event to a Source subscription; false once the subscription has ended. */
  private boolean offer(QueueSubscription sub, GossipEvent event) {
    try {
      if (sub.missed > 0) {
        QueueOfferResult r =
            sub.queue.offer(new GossipEvent.Missed(sub.missed, sub.missedDeliveries));
        if (r == QueueOfferResult.enqueued()) {
          sub.missed = 0;
          sub.missedDeliveries = 0;
        } else if (r == QueueOfferResult.dropped()) {
          missed(sub, event);
          return true;
        } else {
          return false;
        }
      }
      QueueOfferResult r = sub.queue.offer(event);
      if (r == QueueOfferResult.dropped()) {
        missed(sub, event);
        return true;
      }
      return r == QueueOfferResult.enqueued();
    } catch (IllegalStateException streamEnded) {
      return false;
    }
  }
}
