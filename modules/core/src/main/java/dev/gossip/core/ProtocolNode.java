package dev.gossip.core;

import dev.gossip.core.dissemination.Announced;
import dev.gossip.core.dissemination.Broadcast;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.dissemination.EarlierAnnouncement;
import dev.gossip.core.dissemination.IHaveFlush;
import dev.gossip.core.dissemination.Plumtree;
import dev.gossip.core.dissemination.RequestGraft;
import dev.gossip.core.heartbeat.Heartbeat;
import dev.gossip.core.heartbeat.HeartbeatTick;
import dev.gossip.core.membership.HyParView;
import dev.gossip.core.membership.JoinOverlay;
import dev.gossip.core.membership.Leave;
import dev.gossip.core.membership.MembershipTimer;
import dev.gossip.core.message.MembershipMessage;
import dev.gossip.core.message.PlumtreeMessage;
import dev.gossip.core.message.RecoveryMessage;
import dev.gossip.core.recovery.Recovery;
import dev.gossip.core.recovery.RecoveryTimer;
import java.util.ArrayDeque;
import java.util.random.RandomGenerator;

/**
 * One node's four roles wired the way the runtime's actors wire them: membership's NeighborUp and
 * NeighborDown go to dissemination, recovery and heartbeat; dissemination's Announced and Delivered
 * go to recovery; recovery's RequestGraft and EarlierAnnouncement go to dissemination; heartbeat's
 * LinkFailed goes to membership. Events between roles are handled in the order they were emitted,
 * within the same call. The simulator and the tests drive nodes through this class.
 */
public final class ProtocolNode {

  private final NodeId self;
  private final HyParView membership;
  private final Plumtree dissemination;
  private final Recovery recovery;
  private final Heartbeat heartbeat;

  private final ArrayDeque<Input> events = new ArrayDeque<>();
  private Outbox out;
  private final Outbox roleOutbox = this::route;

  public ProtocolNode(NodeId self, GossipSettings settings, RandomGenerator random) {
    this.self = self;
    this.membership = new HyParView(self, settings.membership(), random);
    this.dissemination = new Plumtree(self, settings.dissemination());
    this.recovery = new Recovery(settings.recovery(), random);
    this.heartbeat = new Heartbeat(settings.heartbeat());
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
    if (input instanceof Received r) {
      // Any message is a sign of life for the link; Ping and Pong are the heartbeat's own.
      heartbeat.handle(r, now, roleOutbox);
      if (r.message() instanceof MembershipMessage) {
        membership.handle(r, now, roleOutbox);
      } else if (r.message() instanceof PlumtreeMessage) {
        dissemination.handle(r, now, roleOutbox);
      } else if (r.message() instanceof RecoveryMessage) {
        recovery.handle(r, now, roleOutbox);
      }
    } else if (input instanceof TimerExpired t) {
      Timer timer = t.timer();
      if (timer instanceof MembershipTimer) {
        membership.handle(t, now, roleOutbox);
      } else if (timer == IHaveFlush.INSTANCE) {
        dissemination.handle(t, now, roleOutbox);
      } else if (timer instanceof RecoveryTimer) {
        recovery.handle(t, now, roleOutbox);
      } else if (timer == HeartbeatTick.INSTANCE) {
        heartbeat.handle(t, now, roleOutbox);
      }
    } else if (input instanceof NeighborUp || input instanceof NeighborDown) {
      dissemination.handle(input, now, roleOutbox);
      recovery.handle(input, now, roleOutbox);
      heartbeat.handle(input, now, roleOutbox);
    } else if (input instanceof Announced || input instanceof Delivered) {
      recovery.handle(input, now, roleOutbox);
    } else if (input instanceof RequestGraft
        || input instanceof EarlierAnnouncement
        || input instanceof Broadcast) {
      dissemination.handle(input, now, roleOutbox);
    } else if (input instanceof LinkFailed
        || input instanceof JoinOverlay
        || input == Leave.INSTANCE) {
      membership.handle(input, now, roleOutbox);
    } else if (input == Start.INSTANCE) {
      membership.handle(input, now, roleOutbox);
      recovery.handle(input, now, roleOutbox);
      heartbeat.handle(input, now, roleOutbox);
    }
  }

  /** A role's output: events for other roles are queued; all but the internal ones go out. */
  private void route(Output output) {
    boolean internal =
        output instanceof Announced
            || output instanceof RequestGraft
            || output instanceof EarlierAnnouncement
            || output instanceof LinkFailed;
    if (internal
        || output instanceof NeighborUp
        || output instanceof NeighborDown
        || output instanceof Delivered) {
      events.add((Input) output);
    }
    if (!internal) {
      out.add(output);
    }
  }
}
