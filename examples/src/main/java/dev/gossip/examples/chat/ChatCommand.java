package dev.gossip.examples.chat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.gossip.core.InvalidSettingException;
import dev.gossip.examples.Nodes;
import dev.gossip.examples.TlsOptions;
import dev.gossip.examples.Verbosity;
import dev.gossip.pekko.BindFailedException;
import dev.gossip.pekko.GossipNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (Terminal terminal = TerminalBuilder.builder().name("gossip-chat").build()) {
      return run(terminal);
    }
  }

  /** The chat's flag for each setting a user can get wrong from the command line. */
  private static final Map<String, String> FLAGS =
      Map.of(
          "gossip.host", "--host",
          "gossip.port", "--port",
          "gossip.advertised-host", "--advertise",
          "gossip.preset", "--preset");

  /**
   * Runs the chat on {@code terminal}; the node is stopped when the user quits. A node that cannot
   * start is reported in one line naming the flag to change, with exit status 1.
   */
  int run(Terminal terminal) throws Exception {
    verbosity.apply();
    if (!verbosity.verbose()) {
      // What the node logs at WARN or ERROR reaches the chat through the API as well (a failed
      // bind through the start, no contact reachable through join) and is shown there, or is a
      // bootstrap node's retries through members that left: printed on the chat's terminal it
      // would only break the screen. -v shows it.
      ((Logger) LoggerFactory.getLogger(GossipNode.class)).setLevel(Level.OFF);
    }
    List<String> contacts = join.stream().map(Nodes::contact).toList();
    int listen = port != null ? port : contacts.isEmpty() ? 7355 : 0;
    Nodes.Node node;
    try {
      node =
          Nodes.start(
              "chat", Nodes.config(preset, host, listen, advertise, tls, verbosity.verbose()));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BindFailedException bind) {
        return failed(cannotListen(bind));
      }
      throw e;
    } catch (InvalidSettingException e) {
      String flag = FLAGS.get(e.key());
      return failed(flag == null ? e.getMessage() : e.getMessage() + " (" + flag + ")");
    }
    try (node) {
      new ChatSession(
              node.gossip(), node.system(), name, contacts, terminal, Clock.systemDefaultZone())
          .run();
    }
    return 0;
  }

  /** Says on the command's error stream why the chat cannot start; the exit status. */
  private int failed(String why) {
    spec.commandLine().getErr().println(why);
    spec.commandLine().getErr().flush();
    return 1;
  }

  private static String cannotListen(BindFailedException bind) {
    return bind.addressInUse()
        ? "cannot listen on "
            + bind.host()
            + ":"
            + bind.port()
            + ": the port is in use; choose another with --port (0 picks a free one)"
        : bind.getMessage() + " (--host, --port)";
  }
}
