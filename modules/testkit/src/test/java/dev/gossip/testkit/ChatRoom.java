package dev.gossip.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.gossip.pekko.Gossip;
import dev.gossip.pekko.GossipEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorSystem;

/** The "user application" of the README example: a chat room over gossip broadcast. */
final class ChatRoom {

  private final Gossip gossip;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  ChatRoom(ActorSystem<?> system, Gossip gossip) {
    this.gossip = gossip;
    gossip
        .events()
        .runForeach(
            e -> {
              if (e instanceof GossipEvent.Delivery d) {
                lines.add(new String(d.payload(), UTF_8));
              }
            },
            system);
  }

  void post(String line) {
    gossip.broadcast(line.getBytes(UTF_8));
  }

  List<String> lines() {
    return List.copyOf(lines);
  }
}
