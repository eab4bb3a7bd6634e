package dev.gossip.pekko;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * One gossip node per ActorSystem, started on first access with the system's {@code gossip}
 * configuration: {@code GossipExtension.get(system).gossip()}.
 */
public final class GossipExtension implements Extension {

  private static final Id ID = new Id();

  private static final class Id extends ExtensionId<GossipExtension> {
    @Override
    public GossipExtension createExtension(ActorSystem<?> system) {
      return new GossipExtension(system);
    }
  }

  public static GossipExtension get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private final CompletionStage<Gossip> gossip;

  private GossipExtension(ActorSystem<?> system) {
    this.gossip = Gossip.start(system);
  }

  /** The node, once it listens; failed with a {@link BindFailedException} if it could not bind. */
  public CompletionStage<Gossip> gossip() {
    return gossip;
  }
}
