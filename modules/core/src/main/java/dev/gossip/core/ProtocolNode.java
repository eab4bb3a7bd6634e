package dev.gossip.core;

import dev.gossip.core.dissemination.Plumtree;
import dev.gossip.core.heartbeat.Heartbeat;
import dev.gossip.core.membership.HyParView;
import dev.gossip.core.recovery.Recovery;
import java.util.random.RandomGenerator;

/**
 * One node's four roles wired the way the runtime's actors wire them, by {@link Routing}. Events
 * between roles are handled within the same call, in the order the {@link Composition} gives:
 * emission order by default, or per-role mailboxes interleaved at random as the runtime's actors
 * interleave them. The simulator and the tests drive nodes through this class.
 */
public final class ProtocolNode {

  private final NodeId self;
  private final HyParView membership;
  private final Plumtree dissemination;
  private final Recovery recovery;
  private final Heartbeat heartbeat;
  private final Role.StateMachine[] roles;

  private final Composition events;
  private Outbox out;
  private final Outbox roleOutbox = this::route;

  /** A node whose roles handle events in emission order ({@link Composition#synchronous()}). */
  public ProtocolNode(NodeId self, GossipSettings settings, RandomGenerator random) {
    this(self, settings, random, Composition.synchronous());
  }

  public ProtocolNode(
      NodeId self, GossipSettings settings, RandomGenerator random, Composition composition) {
    this.self = self;
    this.events = composition;
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
      queue(input);
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
    Role role;
    while ((role = events.poll()) != null) {
      roles[role.ordinal()].handle(events.input(), now, roleOutbox);
    }
  }

  private void queue(Input input) {
    for (Role role : Routing.handlers(input)) {
      events.add(role, input);
    }
  }

  /** A role's output: events for other roles are queued; the rest goes out. */
  private void route(Output output) {
    if (output instanceof Input event) {
      queue(event);
    }
    if (Routing.leavesNode(output)) {
      out.add(output);
    }
  }
}
