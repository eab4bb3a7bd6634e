package dev.gossip.core;

/**
 * The four protocol roles. {@link ProtocolNode} holds one of each; the runtime runs one actor per
 * role per node. Each is driven through the same entry point.
 */
public enum Role {
  MEMBERSHIP,
  DISSEMINATION,
  RECOVERY,
  HEARTBEAT;

  /** A role's state machine: one input at a time, outputs in order into the outbox. */
  public interface StateMachine {
    void handle(Input input, long now, Outbox out);
  }
}
