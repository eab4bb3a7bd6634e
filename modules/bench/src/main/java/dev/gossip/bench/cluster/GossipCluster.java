package dev.gossip.bench.cluster;

import dev.gossip.pekko.Gossip;
import dev.gossip.pekko.GossipEvent;
import dev.gossip.pekko.MetricsSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;

/** gossip-pekko nodes, all joined through node 0. */
public final class GossipCluster implements BenchCluster {

  private final String preset;
  private final List<ActorSystem<Void>> systems = new ArrayList<>();
  private final List<Gossip> nodes = new ArrayList<>();
  private boolean[] alive;
  private final AtomicLong missed = new AtomicLong();
  private volatile Tracker tracker;

  public GossipCluster(String preset) {
    this.preset = preset;
  }

  @Override
  public String name() {
    return "gossip";
  }

  @Override
  public void start(int n) throws Exception {
    alive = new boolean[n];
    for (int i = 0; i < n; i++) {
      ActorSystem<Void> system =
          ActorSystem.create(
              Behaviors.empty(),
              "gossip" + i,
              Configs.with(
                  "gossip.preset = " + preset + "\ngossip.port = 0\ngossip.host = 127.0.0.1"));
      systems.add(system);
      Gossip gossip = Gossip.start(system).toCompletableFuture().get(20, TimeUnit.SECONDS);
      nodes.add(gossip);
      alive[i] = true;
      int index = i;
      gossip
          .events(100_000)
          .runWith(
              Sink.foreach(
                  e -> {
                    if (e instanceof GossipEvent.Delivery d) {
                      Tracker t = tracker;
                      if (t != null) {
                        t.delivered(index, d.payload());
                      }
                    } else if (e instanceof GossipEvent.Missed m) {
                      missed.addAndGet(m.count());
                    }
                  }),
              system);
    }
  }

  private String address(int i) {
    return nodes.get(i).self().host() + ":" + nodes.get(i).self().port();
  }

  private int fullView() {
    return Math.min(
        nodes.size() - 1,
        Integer.parseInt(
            systems.get(0).settings().config().getString("gossip.membership.active-view-size")));
  }

  @Override
  public void join() throws Exception {
    nodes.get(0).join(List.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (int i = 1; i < nodes.size(); i++) {
      nodes.get(i).join(List.of(address(0)));
    }
  }

  @Override
  public boolean viewsFull() {
    int full = fullView();
    return nodes.stream().allMatch(g -> g.metrics().activeViewSize() >= full);
  }

  @Override
  public String viewSummary() {
    StringBuilder b = new StringBuilder("active view sizes:");
    for (int i = 0; i < nodes.size(); i++) {
      if (alive[i]) {
        MetricsSnapshot m = nodes.get(i).metrics();
        b.append(' ').append(m.activeViewSize());
      }
    }
    return b.append(" (full = ").append(fullView()).append(')').toString();
  }

  @Override
  public void track(Tracker tracker) {
    this.tracker = tracker;
  }

  @Override
  public void broadcast(int node, byte[] payload) {
    nodes.get(node).broadcast(payload);
  }

  @Override
  public void kill(int node) {
    alive[node] = false;
    systems.get(node).terminate();
  }

  @Override
  public long subscriberMissed() {
    return missed.get();
  }

  /** Counters summed over the live nodes. */
  public MetricsSnapshot[] metrics() {
    List<MetricsSnapshot> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (alive[i]) {
        out.add(nodes.get(i).metrics());
      }
    }
    return out.toArray(MetricsSnapshot[]::new);
  }

  @Override
  public void close() {
    for (ActorSystem<Void> s : systems) {
      s.terminate();
    }
    for (ActorSystem<Void> s : systems) {
      try {
        s.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        // A system that does not stop in time is left to the JVM's exit.
      }
    }
  }
}
