package dev.gossip.examples.chat;

import dev.gossip.examples.Nodes;
import dev.gossip.examples.TlsOptions;
import dev.gossip.examples.Verbosity;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chat NAME} starts a bootstrap node; {@code chat --join PORT NAME} joins one. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "An interactive terminal chat over gossip broadcast.",
      "Start a bootstrap node:   chat alice",
      "Join it from another terminal:   chat --join 7355 bob",
      "Each delivered line shows its sender, origin address, hop count and latency; joins and"
          + " failures of active-view neighbours appear as they happen.",
      "Commands in the chat: /peers (views and known members), /stats (metrics), /quit."
    })
public final class ChatCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "Your name in the chat.")
  String name;

  @Option(
      names = {"-j", "--join"},
      paramLabel = "CONTACT",
      description =
          "A node to join through: PORT (on 127.0.0.1) or HOST:PORT; repeatable. Without it this"
              + " node starts a new overlay (a bootstrap node).")
  List<String> join = new ArrayList<>();

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT",
      description =
          "Port to listen on; 0 picks a free one. Default: 7355 for a bootstrap node, 0 when"
              + " joining.")
  Integer port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on; 0.0.0.0 for every interface. Default: ${DEFAULT-VALUE} (this"
              + " machine only).")
  String host;

  @Option(
      names = "--advertise",
      paramLabel = "HOST",
      description =
          "Address other nodes reach this one at, when it differs from --host (e.g. this"
              + " machine's LAN address with --host 0.0.0.0).")
  String advertise;

  @Option(
      names = "--preset",
      paramLabel = "PRESET",
      defaultValue = "lan",
      description =
          "Timing preset from gossip-pekko's reference.conf: lan, wan or local. Default:"
              + " ${DEFAULT-VALUE}.")
  String preset;

  @Mixin Verbosity verbosity;

  @Mixin TlsOptions tls;

  @Override
  public Integer call() throws Exception {
    try (Terminal terminal = TerminalBuilder.builder().name("gossip-chat").build()) {
      return run(terminal);
    }
  }

  /** Runs the chat on {@code terminal}; the node is stopped when the user quits. */
  int run(Terminal terminal) throws Exception {
    verbosity.apply();
    List<String> contacts = join.stream().map(Nodes::contact).toList();
    int listen = port != null ? port : contacts.isEmpty() ? 7355 : 0;
    try (Nodes.Node node =
        Nodes.start(
            "chat", Nodes.config(preset, host, listen, advertise, tls, verbosity.verbose()))) {
      new ChatSession(
              node.gossip(), node.system(), name, contacts, terminal, Clock.systemDefaultZone())
          .run();
    }
    return 0;
  }
}
