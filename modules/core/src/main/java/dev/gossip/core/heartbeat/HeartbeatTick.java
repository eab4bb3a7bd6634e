package dev.gossip.core.heartbeat;

import dev.gossip.core.Timer;

/** Timer: probe every link and declare the silent ones failed. */
public enum HeartbeatTick implements Timer {
  INSTANCE
}
