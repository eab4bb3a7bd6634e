package dev.gossip.core.heartbeat;

import dev.gossip.core.DownReason;
import dev.gossip.core.Input;
import dev.gossip.core.LinkFailed;
import dev.gossip.core.NeighborDown;
import dev.gossip.core.NeighborUp;
import dev.gossip.core.NodeId;
import dev.gossip.core.Outbox;
import dev.gossip.core.Received;
import dev.gossip.core.Role;
import dev.gossip.core.Schedule;
import dev.gossip.core.Send;
import dev.gossip.core.Start;
import dev.gossip.core.TimerExpired;
import dev.gossip.core.message.Ping;
import dev.gossip.core.message.Pong;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Link liveness for the active view (HyParView, DSN 2007, section 4.2, relies on TCP as the failure
 * detector; a hung peer keeps its socket open, so this role adds probes): every interval each link
 * gets a Ping; a link silent past the timeout is reported as {@link LinkFailed}. Pongs give a
 * smoothed RTT as TCP computes it (RFC 6298: the first sample, then a gain of 1/8). Signs of life
 * are Pings, Pongs and {@link HeardFrom}, the driver's report of a link's last read.
 */
public final class Heartbeat implements Role.StateMachine {

  /** Per-link state: last sign of life and the RTT estimate (nanoseconds, -1 before a sample). */
  private static final class Link {
    long lastHeard;
    long smoothedRtt = -1;

    Link(long now) {
      lastHeard = now;
    }
  }

  private final HeartbeatSettings settings;
  private final long timeoutNanos;
  private final Map<NodeId, Link> links = new LinkedHashMap<>();

  public Heartbeat(HeartbeatSettings settings) {
    this.settings = settings;
    this.timeoutNanos = settings.failureTimeout().toNanos();
  }

  /** The smoothed RTT to {@code peer}, or null before the first Pong. */
  public Duration smoothedRtt(NodeId peer) {
    Link link = links.get(peer);
    return link == null || link.smoothedRtt < 0 ? null : Duration.ofNanos(link.smoothedRtt);
  }

  public int monitoredLinks() {
    return links.size();
  }

  @Override
  public void handle(Input input, long now, Outbox out) {
    if (input instanceof Received r) {
      onReceived(r, now, out);
    } else if (input instanceof HeardFrom h) {
      Link link = links.get(h.peer());
      if (link != null && h.at() - link.lastHeard > 0) {
        link.lastHeard = h.at();
      }
    } else if (input instanceof NeighborUp up) {
      links.putIfAbsent(up.peer(), new Link(now));
    } else if (input instanceof NeighborDown down) {
      links.remove(down.peer());
    } else if (input instanceof TimerExpired t && t.timer() == HeartbeatTick.INSTANCE) {
      onTick(now, out);
    } else if (input == Start.INSTANCE) {
      out.add(new Schedule(settings.pingInterval(), HeartbeatTick.INSTANCE));
    }
  }

  private void onReceived(Received r, long now, Outbox out) {
    Link link = links.get(r.from());
    if (link == null) {
      return;
    }
    link.lastHeard = now;
    if (r.message() instanceof Ping ping) {
      out.add(new Send(r.from(), new Pong(ping.sentAt())));
    } else if (r.message() instanceof Pong pong) {
      long rtt = now - pong.sentAt();
      // Only an echo of one of our own recent probes is a sample.
      if (rtt >= 0 && rtt <= timeoutNanos) {
        sample(link, rtt);
        out.add(
            new RttMeasured(r.from(), Duration.ofNanos(rtt), Duration.ofNanos(link.smoothedRtt)));
      }
    }
  }

  private static void sample(Link link, long rtt) {
    if (link.smoothedRtt < 0) {
      link.smoothedRtt = rtt;
    } else {
      link.smoothedRtt += (rtt - link.smoothedRtt) / 8;
    }
  }

  private void onTick(long now, Outbox out) {
    out.add(new Schedule(settings.pingInterval(), HeartbeatTick.INSTANCE));
    List<NodeId> failed = new ArrayList<>();
    Iterator<Map.Entry<NodeId, Link>> it = links.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<NodeId, Link> e = it.next();
      if (now - e.getValue().lastHeard > timeoutNanos) {
        failed.add(e.getKey());
        it.remove();
      } else {
        out.add(new Send(e.getKey(), new Ping(now)));
      }
    }
    for (NodeId peer : failed) {
      out.add(new LinkFailed(peer, DownReason.HEARTBEAT_TIMEOUT));
    }
  }
}
