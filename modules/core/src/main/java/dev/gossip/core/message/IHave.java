package dev.gossip.core.message;

import java.util.List;

/** A batch of lazy-push announcements of messages the sender has. */
public record IHave(List<Announcement> announcements) implements PlumtreeMessage {
  public IHave {
    announcements = List.copyOf(announcements);
  }
}
