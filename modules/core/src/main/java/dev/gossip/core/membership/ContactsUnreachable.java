package dev.gossip.core.membership;

import dev.gossip.core.NodeId;
import dev.gossip.core.Output;
import java.util.List;

/** Event: a join round tried every candidate without success; the next round follows a backoff. */
public record ContactsUnreachable(List<NodeId> tried) implements Output {
  public ContactsUnreachable {
    tried = List.copyOf(tried);
  }
}
