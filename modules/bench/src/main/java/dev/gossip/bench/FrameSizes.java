package dev.gossip.bench;

import com.typesafe.config.ConfigFactory;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Graft;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.Ping;
import dev.gossip.core.message.Prune;
import dev.gossip.pekko.internal.wire.Codec;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ActorSystem;

/**
 * Prints the size on the wire of the frames a broadcast costs, with an identity shaped like the
 * runtime's (loopback host, a 5-digit port, a microsecond-clock incarnation): the floor under bytes
 * per delivery, before TCP and before the lazy links' IHave traffic.
 */
final class FrameSizes {

  private FrameSizes() {}

  static void print() {
    ActorSystem system =
        ActorSystem.create(
            "frames",
            ConfigFactory.parseString("pekko.loglevel = ERROR").withFallback(ConfigFactory.load()));
    try {
      Codec codec = new Codec(system, 1 << 20);
      NodeId origin = new NodeId("127.0.0.1", 41234, System.currentTimeMillis() * 1000 + 1);
      MessageId id = new MessageId(origin, 12_345);
      List<Announcement> ten = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ten.add(new Announcement(new MessageId(origin, 12_345 + i), 3));
      }
      int ihave1 = codec.encode(new IHave(List.of(new Announcement(id, 3)))).size();
      int ihave10 = codec.encode(new IHave(ten)).size();
      System.out.println(
          "Gossip, 256 B payload:   " + size(codec, new Gossip(id, 3, new byte[256])));
      System.out.println(
          "Gossip, 16 KiB payload:  " + size(codec, new Gossip(id, 3, new byte[16_384])));
      System.out.println("IHave, 1 announcement:   " + ihave1);
      System.out.println("IHave, 10 announcements: " + ihave10);
      System.out.println("  per extra announcement: " + (ihave10 - ihave1) / 9.0);
      System.out.println("Graft, 1 id:             " + size(codec, Graft.of(id)));
      System.out.println("Prune:                   " + size(codec, new Prune(id.origin())));
      System.out.println("Ping:                    " + size(codec, new Ping(1L)));
    } finally {
      system.terminate();
    }
  }

  private static int size(Codec codec, Object message) {
    return codec.encode(message).size();
  }
}
