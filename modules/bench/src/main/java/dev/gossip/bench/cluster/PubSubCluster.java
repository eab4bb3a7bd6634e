package dev.gossip.bench.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.Props;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.pubsub.DistributedPubSub;
import org.apache.pekko.cluster.pubsub.DistributedPubSubMediator;
import org.apache.pekko.pattern.Patterns;

/**
 * Pekko Cluster nodes over Artery TCP with the classic DistributedPubSub mediator: every node
 * subscribes one actor to one topic; a broadcast is a {@code Publish} to the local mediator. The
 * payload is the same {@code byte[]}, carried by Pekko's built-in ByteArraySerializer. Artery
 * exposes no byte counters through a public API, so there is no wire figure.
 */
public final class PubSubCluster implements BenchCluster {

  static final String TOPIC = "bench";

  private final List<ActorSystem> systems = new ArrayList<>();
  private final List<ActorRef> mediators = new ArrayList<>();
  private boolean[] alive;
  private volatile Tracker tracker;

  @Override
  public String name() {
    return "pekko-pubsub";
  }

  /** Hands every payload it receives to the current tracker. */
  static final class Subscriber extends AbstractActor {
    private final PubSubCluster cluster;
    private final int node;

    Subscriber(PubSubCluster cluster, int node) {
      this.cluster = cluster;
      this.node = node;
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder()
          .match(
              byte[].class,
              p -> {
                Tracker t = cluster.tracker;
                if (t != null) {
                  t.delivered(node, p);
                }
              })
          .matchAny(m -> {})
          .build();
    }
  }

  @Override
  public void start(int n) throws Exception {
    alive = new boolean[n];
    for (int i = 0; i < n; i++) {
      ActorSystem system =
          ActorSystem.create(
              "pubsub",
              Configs.with(
                  String.join(
                      "\n",
                      "pekko.actor.provider = cluster",
                      "pekko.remote.artery.transport = tcp",
                      "pekko.remote.artery.canonical.hostname = 127.0.0.1",
                      "pekko.remote.artery.canonical.port = 0",
                      "pekko.cluster.log-info = off",
                      "pekko.cluster.jmx.enabled = off")));
      systems.add(system);
      alive[i] = true;
      ActorRef mediator = DistributedPubSub.get(system).mediator();
      mediators.add(mediator);
      int index = i;
      ActorRef subscriber =
          system.actorOf(Props.create(Subscriber.class, () -> new Subscriber(this, index)));
      Patterns.ask(
              mediator,
              new DistributedPubSubMediator.Subscribe(TOPIC, subscriber),
              Duration.ofSeconds(10))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void join() {
    Address seed = Cluster.get(systems.get(0)).selfAddress();
    for (ActorSystem s : systems) {
      Cluster.get(s).join(seed);
    }
  }

  @Override
  public boolean viewsFull() {
    return systems.stream().allMatch(s -> upMembers(s) == systems.size());
  }

  private static int upMembers(ActorSystem s) {
    ClusterEvent.CurrentClusterState state = Cluster.get(s).state();
    int up = 0;
    for (Member m : state.getMembers()) {
      if (m.status() == MemberStatus.up()) {
        up++;
      }
    }
    return up;
  }

  @Override
  public String viewSummary() {
    return BenchCluster.viewSizes(
        "members Up as seen by each node", alive, i -> upMembers(systems.get(i)));
  }

  @Override
  public void track(Tracker tracker) {
    this.tracker = tracker;
  }

  @Override
  public void broadcast(int node, byte[] payload) {
    mediators
        .get(node)
        .tell(new DistributedPubSubMediator.Publish(TOPIC, payload), ActorRef.noSender());
  }

  @Override
  public void kill(int node) {
    alive[node] = false;
    systems.get(node).terminate();
  }

  @Override
  public void close() {
    for (ActorSystem s : systems) {
      s.terminate();
    }
    for (ActorSystem s : systems) {
      try {
        s.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        // A system that does not stop in time is left to the JVM's exit.
      }
    }
  }
}
