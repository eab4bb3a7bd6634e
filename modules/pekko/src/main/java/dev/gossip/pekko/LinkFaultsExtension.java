package dev.gossip.pekko;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Holds the {@link LinkFaults} stage of the gossip node of one ActorSystem: {@code
 * LinkFaultsExtension.get(system).install(faults)} before the node starts. Nodes read it once when
 * they start; without an installed stage their links do no fault checks at all.
 */
public final class LinkFaultsExtension implements Extension {

  private static final Id ID = new Id();

  private static final class Id extends ExtensionId<LinkFaultsExtension> {
    @Override
    public LinkFaultsExtension createExtension(ActorSystem<?> system) {
      return new LinkFaultsExtension();
    }
  }

  public static LinkFaultsExtension get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private volatile LinkFaults faults;

  private LinkFaultsExtension() {}

  /** Installs the stage for nodes started from now on in this system. */
  public void install(LinkFaults stage) {
    this.faults = stage;
  }

  /** The installed stage, or null. */
  public LinkFaults faults() {
    return faults;
  }
}
