package dev.gossip.pekko.internal.link;

import dev.gossip.core.NodeId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;

/**
 * The live links of a node by peer, for the role actors to write frames straight into a link's
 * queue without an actor in between. The {@link LinkManager} publishes a link here once it may
 * carry frames (dialed to a known node id, or after the peer's Hello) and withdraws it when it
 * closes; a frame for a peer without a link (a contact, a passive peer) goes to the link manager,
 * which dials.
 */
public final class LinkRegistry {

  private final Map<NodeId, Link> links = new ConcurrentHashMap<>();
  private volatile ActorRef<LinkManager.Command> manager;

  void manager(ActorRef<LinkManager.Command> manager) {
    this.manager = manager;
  }

  /**
   * Queues an encoded frame to {@code to}. A full queue is reported to the link manager, which
   * disconnects the peer as slow.
   */
  public void send(NodeId to, ByteString frame) {
    Link link = links.get(to);
    if (link == null) {
      manager.tell(new LinkManager.Transmit(to, frame));
    } else if (!link.offer(frame)) {
      manager.tell(new LinkManager.Overflowed(link.id));
    }
  }

  /** Each peer with a link, and when that link was last read (System.nanoTime). */
  public void forEachLastRead(BiConsumer<NodeId, Long> action) {
    links.forEach((peer, link) -> action.accept(peer, link.lastRead));
  }

  void publish(NodeId peer, Link link) {
    links.put(peer, link);
  }

  void withdraw(NodeId peer) {
    links.remove(peer);
  }
}
