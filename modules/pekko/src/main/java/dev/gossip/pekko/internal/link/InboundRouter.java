package dev.gossip.pekko.internal.link;

import dev.gossip.core.NodeId;
import dev.gossip.core.Role;
import dev.gossip.core.Routing;
import dev.gossip.core.message.Disconnect;
import dev.gossip.core.message.Message;
import dev.gossip.pekko.DropReason;
import dev.gossip.pekko.internal.role.RoleCommand;
import dev.gossip.pekko.internal.wire.Hello;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * The end of a connection's inbound stream: the frames decoded from one socket read go straight to
 * the role actors that handle them, one {@link RoleCommand.Frames} per role per read, with no actor
 * in between. The first frame must be the peer's {@link Hello}, which the {@link LinkManager}
 * checks (identity, dial races) before anything else is read; after it, the frame rate limit and
 * the node's {@link InboundGate} apply here, frame by frame. A read that finds the gate full waits,
 * unread, until the roles have made room, so the socket is not read meanwhile.
 */
// Handlers and callbacks are Pekko's serializable function types, never serialized.
@SuppressWarnings("serial")
final class InboundRouter extends GraphStage<SinkShape<List<Object>>> {

  /** Where a connection's frames go and what limits them. */
  record Wiring(
      ActorRef<LinkManager.Command> manager,
      List<ActorRef<RoleCommand>> roles,
      InboundGate gate,
      int maxFrameRate) {}

  private final Inlet<List<Object>> in = Inlet.create("InboundRouter.in");
  private final SinkShape<List<Object>> shape = SinkShape.of(in);
  private final Link link;
  private final Wiring wiring;

  InboundRouter(Link link, Wiring wiring) {
    this.link = link;
    this.wiring = wiring;
  }

  @Override
  public SinkShape<List<Object>> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new Logic();
  }

  private final class Logic extends GraphStageLogic {

    private final FrameRate rate = new FrameRate(wiring.maxFrameRate(), System.nanoTime());
    private final AsyncCallback<NodeId> helloTaken = createAsyncCallback(peer -> proceed());
    private final AsyncCallback<Boolean> roomMade = createAsyncCallback(ignored -> proceed());

    /** The messages being handed on, by role ordinal; each list goes to its role whole. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final List<Message>[] byRole = new List[Role.values().length];

    /** The frames of the read being handled, from {@code next} on. */
    private List<Object> frames;

    private int next;

    /** Waiting for the link manager's word on the Hello, or for room: do not go on. */
    private boolean waiting;

    /** A frame was refused: the link manager closes the connection, nothing more is read. */
    private boolean refused;

    Logic() {
      super(shape);
      setHandler(
          in,
          new AbstractInHandler() {
            @Override
            public void onPush() {
              frames = grab(in);
              next = 0;
              link.lastRead = System.nanoTime();
              proceed();
            }

            @Override
            public void onUpstreamFinish() {
              wiring.manager().tell(new LinkManager.StreamEnded(link.id, null));
              completeStage();
            }

            @Override
            public void onUpstreamFailure(Throwable failure) {
              wiring.manager().tell(new LinkManager.StreamEnded(link.id, failure));
              failStage(failure);
            }
          });
    }

    @Override
    public void preStart() {
      pull(in);
    }

    /** Hands on the frames of the current read while it may; pulls the next read after them. */
    private void proceed() {
      waiting = false;
      while (!refused && !waiting && frames != null && next < frames.size()) {
        if (link.peer == null) {
          handshake(frames.get(next++));
        } else {
          route();
        }
      }
      if (!refused && !waiting && frames != null) {
        frames = null;
        pull(in);
      }
    }

    private void handshake(Object first) {
      if (first instanceof Hello hello) {
        waiting = true;
        wiring.manager().tell(new LinkManager.HelloIn(link.id, hello, helloTaken::invoke));
      } else {
        refuse(DropReason.HANDSHAKE, "first frame was " + first.getClass().getSimpleName());
      }
    }

    /** Hands frames to their roles up to the room the gate has, grouped by role. */
    private void route() {
      int room = wiring.gate().reserve(frames.size() - next);
      if (room == 0) {
        waiting = true;
        wiring.gate().awaitRoom(() -> roomMade.invoke(Boolean.TRUE));
        return;
      }
      NodeId peer = link.peer;
      long now = System.nanoTime();
      int taken = 0;
      while (next < frames.size() && taken < room) {
        Object frame = frames.get(next++);
        if (frame instanceof Hello) {
          refuse(DropReason.HANDSHAKE, "a second Hello");
          break;
        }
        if (!rate.admit(now)) {
          refuse(DropReason.RATE_LIMITED, "over " + wiring.maxFrameRate() + " frames per second");
          break;
        }
        Message message = (Message) frame;
        if (message instanceof Disconnect) {
          link.peerDisconnected = true;
        }
        Role role = Routing.role(message);
        if (role != Role.MEMBERSHIP && !link.inActiveView) {
          link.strayTraffic = true;
        }
        if (byRole[role.ordinal()] == null) {
          byRole[role.ordinal()] = new ArrayList<>();
        }
        byRole[role.ordinal()].add(message);
        taken++;
      }
      if (taken < room) {
        wiring.gate().handled(room - taken);
      }
      // Frames before a refused one are handed on, as they would have been one read earlier.
      for (int role = 0; role < byRole.length; role++) {
        if (byRole[role] != null) {
          wiring.roles().get(role).tell(new RoleCommand.Frames(peer, byRole[role]));
          byRole[role] = null;
        }
      }
    }

    private void refuse(DropReason reason, String detail) {
      refused = true;
      wiring.manager().tell(new LinkManager.Refuse(link.id, reason, detail));
    }
  }
}
