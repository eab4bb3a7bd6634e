package dev.gossip.core;

import dev.gossip.core.dissemination.Plumtree;
import dev.gossip.core.heartbeat.Heartbeat;
import dev.gossip.core.membership.HyParView;
import dev.gossip.core.recovery.Recovery;
import java.util.ArrayDeque;
import java.util.random.RandomGenerator;

/**
 * One node's four roles wired the way the runtime's actors wire them, by {@link Routing}. Events
 * between roles are handled in the order they were emitted, within the same call. The simulator and
 * the tests drive nodes through this class.
 */
public final class ProtocolNode {

  private final NodeId self;
  private final HyParView membership;
  private final Plumtree dissemination;
  private final Recovery recovery;
  private final Heartbeat heartbeat;
  private final Role.StateMachine[] roles;

  private final ArrayDeque<Input> events = new ArrayDeque<>();
  private Outbox out;
  private final Outbox roleOutbox = this::route;

  public ProtocolNode(NodeId self, GossipSettings settings, RandomGenerator random) {
    this.self = self;
    this.membership = new HyParView(self, settings.membership(), random);
    this.dissemination = new Plumtree(self, settings.dissemination());
    this.recovery = new Recovery(settings.recovery(), random);
    this.heartbeat = new Heartbeat(settings.heartbeat());
    this.roles = new Role.StateMachine[Role.values().length];
    roles[Role.MEMBERSHIP.ordinal()] = membership;
    roles[Role.DISSEMINATION.ordinal()] = dissemination;
    roles[Role.RECOVERY.ordinal()] = recovery;
    roles[Role.HEARTBEAT.ordinal()] = heartbeat;
  }

  public NodeId self() {
    return self;
  }

  public HyParView membership() {
    return membership;
  }

  public Plumtree dissemination() {
    return dissemination;
  }

  public Recovery recovery() {
    return recovery;
  }

  public Heartbeat heartbeat() {
    return heartbeat;
  }

  /**
   * Feeds one input to the roles it concerns and pushes to {@code out} every effect (Send,
   * Schedule, Connect, Close) and every event meant for the user (Delivered, NeighborUp,
   * NeighborDown, ContactsUnreachable, RttMeasured).
   */
  public void handle(Input input, long now, Outbox out) {
    this.out = out;
    try {
      dispatch(input, now);
      drain(now);
    } finally {
      events.clear();
      this.out = null;
    }
  }

  /** Broadcasts a payload and returns its id; outputs as for {@link #handle}. */
  public MessageId broadcast(byte[] payload, long now, Outbox out) {
    this.out = out;
    try {
      MessageId id = dissemination.broadcast(payload, now, roleOutbox);
      drain(now);
      return id;
    } finally {
      events.clear();
      this.out = null;
    }
  }

  private void drain(long now) {
    Input event;
    while ((event = events.poll()) != null) {
      dispatch(event, now);
    }
  }

  private void dispatch(Input input, long now) {
    for (Role role : Routing.handlers(input)) {
      roles[role.ordinal()].handle(input, now, roleOutbox);
    }
  }

  /** A role's output: events for other roles are queued; the rest goes out. */
  private void route(Output output) {
    if (output instanceof Input event && !Routing.handlers(event).isEmpty()) {
      events.add(event);
    }
    if (Routing.leavesNode(output)) {
      out.add(output);
    }
  }
}
