package dev.gossip.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs {@link ProcessCluster} nodes on this host for a test on another: it listens for control
 * connections on an address given explicitly, and on each starts one node ({@link NodeProcess}) as
 * a child JVM from its own classpath, relays the {@link Control} lines between the test and the
 * node, and answers the commands only it can carry out (SIGKILL, SIGSTOP and SIGCONT of the child,
 * its clock, its log). The node advertises {@code --node-host}; it is killed when its connection
 * closes. Malformed lines are answered {@code err <seq> rejected: ...}, counted and logged, and the
 * connection goes on; connections from addresses outside {@code --allow} are closed, counted and
 * logged.
 *
 * <p>There is no authentication: whoever reaches the port can run gossip nodes here with a
 * configuration of their choosing. Bind it to a private test network, and list the test's host in
 * {@code --allow}.
 */
final class NodeAgent {

  static final int DEFAULT_PORT = 7400;

  private static final String USAGE =
      String.join(
          "\n",
          "usage: java -cp CLASSPATH dev.gossip.testkit.NodeAgent --bind ADDRESS [options]",
          "  --bind ADDRESS        the address the control port listens on (required; no default,",
          "                        so the port is never open on every interface by accident)",
          "  --port PORT           the control port (default " + DEFAULT_PORT + "; 0 picks one)",
          "  --node-host ADDRESS   the address the nodes listen on and advertise (default --bind)",
          "  --allow ADDRESS,...   the only addresses a test may connect from (default: any)",
          "  --max-nodes N         nodes at once (default 4)",
          "  --dir DIR             where node configurations and logs go (default: a temp dir)",
          "  --jvm-option OPTION   an option of the node JVMs, repeatable (default: "
              + String.join(" ", ProcessCluster.DEFAULT_JVM_OPTIONS)
              + ")");

  /** The agent's command line. */
  record Options(
      InetAddress bind,
      int port,
      String nodeHost,
      Set<InetAddress> allow,
      int maxNodes,
      Path dir,
      List<String> jvmOptions) {

    /** Parses the arguments; fails with what is wrong. */
    static Options parse(String... args) throws IOException {
      InetAddress bind = null;
      int port = DEFAULT_PORT;
      String nodeHost = null;
      Set<InetAddress> allow = new HashSet<>();
      int maxNodes = 4;
      Path dir = null;
      List<String> jvmOptions = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        String value = args[++i];
        switch (name) {
          case "--bind" -> bind = InetAddress.getByName(value);
          case "--port" -> port = Integer.parseInt(value);
          case "--node-host" -> nodeHost = value;
          case "--allow" -> {
            for (String a : value.split(",")) {
              allow.add(InetAddress.getByName(a));
            }
          }
          case "--max-nodes" -> maxNodes = Integer.parseInt(value);
          case "--dir" -> dir = Path.of(value);
          case "--jvm-option" -> jvmOptions.add(value);
          default -> throw new IllegalArgumentException("unknown option " + name);
        }
      }
      if (bind == null) {
        throw new IllegalArgumentException("--bind is required");
      }
      if (nodeHost == null) {
        if (bind.isAnyLocalAddress()) {
          throw new IllegalArgumentException("--bind " + value(bind) + " needs --node-host");
        }
        nodeHost = value(bind);
      }
      if (maxNodes < 1) {
        throw new IllegalArgumentException("--max-nodes must be >= 1, was " + maxNodes);
      }
      return new Options(
          bind,
          port,
          nodeHost,
          Set.copyOf(allow),
          maxNodes,
          dir == null ? Files.createTempDirectory("gossip-agent-") : Files.createDirectories(dir),
          jvmOptions.isEmpty() ? ProcessCluster.DEFAULT_JVM_OPTIONS : List.copyOf(jvmOptions));
    }

    private static String value(InetAddress address) {
      return address.getHostAddress();
    }
  }

  private final Options options;
  private final ServerSocket server;
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicLong rejected = new AtomicLong();

  NodeAgent(Options options) throws IOException {
    this.options = options;
    this.server = new ServerSocket(options.port(), 50, options.bind());
  }

  public static void main(String[] args) throws IOException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("NodeAgent: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    NodeAgent agent = new NodeAgent(options);
    // The first line names the port (a test that asked for port 0 reads it).
    System.out.println(
        "gossip node agent listening on "
            + options.bind().getHostAddress()
            + ":"
            + agent.server.getLocalPort());
    System.out.println(
        "nodes listen on "
            + options.nodeHost()
            + ", at most "
            + options.maxNodes()
            + " at once; configurations and logs in "
            + options.dir()
            + (options.allow().isEmpty() ? "; tests from any address" : "; tests from ")
            + (options.allow().isEmpty() ? "" : options.allow()));
    System.out.flush();
    agent.serve();
  }

  /** Accepts control connections until the process ends. */
  void serve() throws IOException {
    while (true) {
      Socket socket = server.accept();
      InetAddress from = socket.getInetAddress();
      if (!options.allow().isEmpty() && !options.allow().contains(from)) {
        reject("a connection from " + from.getHostAddress() + ", not in --allow");
        socket.close();
        continue;
      }
      if (sessions.incrementAndGet() > options.maxNodes()) {
        sessions.decrementAndGet();
        reject("a connection from " + from.getHostAddress() + " over --max-nodes");
        socket.close();
        continue;
      }
      Thread session =
          new Thread(
              () -> {
                try {
                  new AgentSession(socket, options, this::reject).run();
                } finally {
                  sessions.decrementAndGet();
                }
              },
              "gossip-agent-" + from.getHostAddress());
      session.start();
    }
  }

  private void reject(String what) {
    System.err.println("rejected " + what + " (" + rejected.incrementAndGet() + " so far)");
  }
}
