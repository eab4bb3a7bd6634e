package dev.gossip.core;

import dev.gossip.core.dissemination.AlreadyDelivered;
import dev.gossip.core.dissemination.Announced;
import dev.gossip.core.dissemination.Broadcast;
import dev.gossip.core.dissemination.Delivered;
import dev.gossip.core.dissemination.EarlierAnnouncement;
import dev.gossip.core.dissemination.IHaveFlush;
import dev.gossip.core.dissemination.RequestGraft;
import dev.gossip.core.heartbeat.HeardFrom;
import dev.gossip.core.heartbeat.HeartbeatTick;
import dev.gossip.core.heartbeat.RttMeasured;
import dev.gossip.core.membership.JoinOverlay;
import dev.gossip.core.membership.Leave;
import dev.gossip.core.membership.MembershipTimer;
import dev.gossip.core.message.MembershipMessage;
import dev.gossip.core.message.Message;
import dev.gossip.core.message.PlumtreeMessage;
import dev.gossip.core.message.RecoveryMessage;
import dev.gossip.core.recovery.RecoveryTimer;
import java.util.List;

/**
 * The wiring of a node's roles, in one place for {@link ProtocolNode} and the runtime's actors:
 * which roles handle an input, and which outputs leave the node.
 *
 * <p>Membership's NeighborUp and NeighborDown go to dissemination, recovery and heartbeat;
 * dissemination's Announced, Delivered and AlreadyDelivered go to recovery; heartbeat's RttMeasured
 * goes to dissemination (the IHave flush) and recovery (the graft timers); recovery's RequestGraft
 * and EarlierAnnouncement go to dissemination; heartbeat's LinkFailed goes to membership. A peer
 * message goes to its one role only: the heartbeat gets Ping and Pong, and learns of other traffic
 * from the driver's {@link HeardFrom} (per link, not per message).
 */
public final class Routing {

  private static final List<Role> NONE = List.of();
  private static final List<Role> MEMBERSHIP = List.of(Role.MEMBERSHIP);
  private static final List<Role> DISSEMINATION = List.of(Role.DISSEMINATION);
  private static final List<Role> RECOVERY = List.of(Role.RECOVERY);
  private static final List<Role> HEARTBEAT = List.of(Role.HEARTBEAT);

  /** Each role alone, by ordinal. */
  private static final List<List<Role>> ROLES =
      List.of(MEMBERSHIP, DISSEMINATION, RECOVERY, HEARTBEAT);

  private static final List<Role> LINK_USERS =
      List.of(Role.DISSEMINATION, Role.RECOVERY, Role.HEARTBEAT);
  private static final List<Role> RTT_USERS = List.of(Role.DISSEMINATION, Role.RECOVERY);
  private static final List<Role> PERIODIC =
      List.of(Role.MEMBERSHIP, Role.RECOVERY, Role.HEARTBEAT);

  private Routing() {}

  /** The roles that handle this input, in the order they get it; empty if none does. */
  public static List<Role> handlers(Input input) {
    if (input instanceof Received r) {
      return ROLES.get(role(r.message()).ordinal());
    } else if (input instanceof TimerExpired t) {
      return owner(t.timer());
    } else if (input instanceof NeighborUp || input instanceof NeighborDown) {
      return LINK_USERS;
    } else if (input instanceof Announced
        || input instanceof Delivered
        || input instanceof AlreadyDelivered) {
      return RECOVERY;
    } else if (input instanceof RttMeasured) {
      return RTT_USERS;
    } else if (input instanceof RequestGraft
        || input instanceof EarlierAnnouncement
        || input instanceof Broadcast) {
      return DISSEMINATION;
    } else if (input instanceof LinkFailed
        || input instanceof JoinOverlay
        || input == Leave.INSTANCE) {
      return MEMBERSHIP;
    } else if (input instanceof HeardFrom) {
      return HEARTBEAT;
    } else if (input == Start.INSTANCE) {
      return PERIODIC;
    }
    return NONE;
  }

  /** Whether an output is for the driver or the user; false for events only roles consume. */
  public static boolean leavesNode(Output output) {
    return !(output instanceof Announced
        || output instanceof AlreadyDelivered
        || output instanceof RequestGraft
        || output instanceof EarlierAnnouncement
        || output instanceof LinkFailed);
  }

  /** The one role that handles a peer message. */
  public static Role role(Message message) {
    if (message instanceof PlumtreeMessage) {
      return Role.DISSEMINATION;
    } else if (message instanceof MembershipMessage) {
      return Role.MEMBERSHIP;
    } else if (message instanceof RecoveryMessage) {
      return Role.RECOVERY;
    }
    return Role.HEARTBEAT;
  }

  private static List<Role> owner(Timer timer) {
    if (timer instanceof MembershipTimer) {
      return MEMBERSHIP;
    } else if (timer instanceof IHaveFlush) {
      return DISSEMINATION;
    } else if (timer instanceof RecoveryTimer) {
      return RECOVERY;
    } else if (timer == HeartbeatTick.INSTANCE) {
      return HEARTBEAT;
    }
    return NONE;
  }
}
