package dev.gossip.core.dissemination;

import dev.gossip.core.Timer;

/** Timer: send the batched announcements to the lazy peers. */
public enum IHaveFlush implements Timer {
  INSTANCE
}
