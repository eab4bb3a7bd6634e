package dev.gossip.pekko.internal;

import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;

/**
 * The dispatcher a node's actors and its links' streams run on, {@code gossip.dispatcher} in
 * reference.conf: sized for this work, and kept apart from the application's default dispatcher so
 * that neither starves the other.
 */
public final class GossipDispatcher {

  public static final String PATH = "gossip.dispatcher";
  public static final DispatcherSelector ACTORS = DispatcherSelector.fromConfig(PATH);
  public static final Attributes STREAMS = ActorAttributes.dispatcher(PATH);

  private GossipDispatcher() {}
}
