package dev.gossip.pekko.internal;

import dev.gossip.pekko.GossipEvent;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;

/**
 * Reports a failure of one of a node's actors before its supervisor resumes it: counted in the
 * metrics and published to the subscribers as {@link GossipEvent.NodeFailure}, so that a bug is
 * seen by the application, not only in the log.
 */
public final class ReportFailures<T> extends BehaviorInterceptor<T, T> {

  private final String component;
  private final NodeMetrics metrics;
  private final Subscribers subscribers;

  public ReportFailures(
      Class<T> type, String component, NodeMetrics metrics, Subscribers subscribers) {
    super(type);
    this.component = component;
    this.metrics = metrics;
    this.subscribers = subscribers;
  }

  @Override
  public Behavior<T> aroundReceive(
      TypedActorContext<T> context, T message, ReceiveTarget<T> target) {
    try {
      return target.apply(context, message);
    } catch (RuntimeException e) {
      metrics.failures.increment();
      subscribers.publish(new GossipEvent.NodeFailure(component, e));
      throw e;
    }
  }
}
