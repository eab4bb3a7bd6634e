package dev.gossip.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One test's connection to a {@link NodeAgent}, and the node it runs: the agent's own commands are
 * carried out here, the node's are checked for their form and relayed, and the node's lines relayed
 * back. A refused line is answered {@code err <seq> rejected: <why>} and reported to {@code
 * reject}; the session reads on.
 */
final class AgentSession {

  private static final Set<String> NODE_COMMANDS =
      Set.of("join", "broadcast", "leave", "metrics", "block", "heal", "drop", "delay", "clear");
  private static final Pattern SEQ = Pattern.compile("[0-9]{1,18}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_LOG_LINES = 1000;
  private static final int ECHO_CHARS = 80;

  private final Socket socket;
  private final NodeAgent.Options options;
  private final Consumer<String> reject;
  private final Writer out;
  private Process node;
  private Writer nodeOut;
  private Path log;

  AgentSession(Socket socket, NodeAgent.Options options, Consumer<String> reject) {
    this.socket = socket;
    this.options = options;
    this.reject = reject;
    this.out = writer(socket);
  }

  void run() {
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      boolean open = true;
      while (open) {
        String line;
        try {
          line = Control.readLine(in);
        } catch (Control.Rejected e) {
          refuse("?", e);
          continue;
        }
        if (line == null) {
          break;
        }
        open = handle(line);
      }
    } catch (IOException e) {
      // The test is gone: the node goes with it, below.
    } finally {
      if (node != null) {
        stopNode();
      }
    }
  }

  /** Carries out one line; false when the session is over. */
  private boolean handle(String line) throws IOException {
    String[] f = line.split(" ", -1);
    if (line.equals("exit")) {
      if (node != null) {
        forward(line);
      }
      return node != null;
    }
    String seq = f.length > 1 && SEQ.matcher(f[1]).matches() ? f[1] : "?";
    try {
      if (seq.equals("?")) {
        throw new Control.Rejected("not <command> <seq> ...: " + echo(line));
      }
      switch (f[0]) {
        case "clock" -> {
          arity(f, 2);
          send("ok " + seq + " " + History.now());
        }
        case "start" -> {
          arity(f, 4);
          start(seq, f[2], f[3]);
        }
        case "signal" -> {
          arity(f, 3);
          if (!f[2].equals("STOP") && !f[2].equals("CONT")) {
            throw new Control.Rejected("signal STOP or CONT, not " + echo(f[2]));
          }
          Posix.signal(running().pid(), f[2]);
          send("ok " + seq);
        }
        case "kill" -> {
          arity(f, 2);
          running().destroyForcibly();
          return false;
        }
        case "log" -> {
          arity(f, 3);
          running();
          send("ok " + seq + " " + logLines(new String(decode(f[2]), StandardCharsets.UTF_8)));
        }
        default -> {
          if (!NODE_COMMANDS.contains(f[0])) {
            throw new Control.Rejected("unknown command " + echo(f[0]));
          }
          running();
          forward(line);
        }
      }
    } catch (Control.Rejected e) {
      refuse(seq, e);
    } catch (RuntimeException e) {
      send("err " + seq + " " + String.valueOf(e).replace('\n', ' ').replace('\r', ' '));
    }
    return true;
  }

  private void refuse(String seq, Control.Rejected e) throws IOException {
    reject.accept("from " + socket.getInetAddress().getHostAddress() + ": " + e.getMessage());
    send("err " + seq + " rejected: " + e.getMessage());
  }

  private static void arity(String[] f, int fields) {
    if (f.length != fields) {
      throw new Control.Rejected(
          f[0] + " takes " + (fields - 2) + " argument(s), not " + (f.length - 2));
    }
  }

  private static byte[] decode(String base64) {
    try {
      return Control.bytes(base64);
    } catch (IllegalArgumentException e) {
      throw new Control.Rejected("not base64: " + echo(base64));
    }
  }

  private Process running() {
    if (node == null) {
      throw new Control.Rejected("no node started on this connection");
    }
    return node;
  }

  /** Starts the node, waits for its control connection, and reports it up. */
  private void start(String seq, String name, String config) throws IOException {
    if (node != null) {
      throw new Control.Rejected("a node runs on this connection already");
    }
    if (!NAME.matcher(name).matches()) {
      throw new Control.Rejected("not a node name: " + echo(name));
    }
    Path home = Files.createTempDirectory(options.dir(), name + "-");
    Path conf = home.resolve(name + ".conf");
    // The agent's host comes last, so it is what the node advertises whatever the test sent.
    Files.writeString(
        conf,
        new String(decode(config), StandardCharsets.UTF_8)
            + "\ngossip.host = \""
            + options.nodeHost()
            + "\"\n",
        StandardCharsets.UTF_8);
    log = home.resolve(name + ".log");
    try (ServerSocket control = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(options.jvmOptions());
      command.add("-Dconfig.file=" + conf);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(NodeProcess.class.getName());
      command.add(control.getInetAddress().getHostAddress());
      command.add(Integer.toString(control.getLocalPort()));
      command.add(name);
      node =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      // A node the agent cannot reach any more (stopped, when the agent ends) is killed with it.
      ProcessCluster.adopt(node);
      Socket child = accept(control);
      child.setTcpNoDelay(true);
      nodeOut = writer(child);
      InputStream nodeIn = new BufferedInputStream(child.getInputStream());
      String ready = Control.readLine(nodeIn);
      if (ready == null || !ready.startsWith("ready ")) {
        throw new IllegalStateException(name + " said " + ready + " instead of ready; log " + log);
      }
      send(
          "ok "
              + seq
              + " "
              + node.pid()
              + " "
              + Control.bytes(log.toString().getBytes(StandardCharsets.UTF_8)));
      send(ready);
      Thread relay = new Thread(() -> relay(nodeIn), "gossip-agent-relay-" + name);
      relay.setDaemon(true);
      relay.start();
    } catch (IOException | RuntimeException e) {
      if (node != null) {
        stopNode();
        node = null;
      }
      throw new IllegalStateException(
          name + " did not start: " + e.getMessage() + "; log " + log, e);
    }
  }

  private Socket accept(ServerSocket control) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    control.setSoTimeout(200);
    while (true) {
      if (!node.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the node did not connect (alive " + node.isAlive() + ")");
      }
      try {
        return control.accept();
      } catch (SocketTimeoutException e) {
        // Check the process and the deadline again.
      }
    }
  }

  /** The node's lines to the test, until the node is gone; then the session is over. */
  private void relay(InputStream nodeIn) {
    try {
      for (String line = Control.readLine(nodeIn); line != null; line = Control.readLine(nodeIn)) {
        send(line);
      }
    } catch (IOException | RuntimeException e) {
      // The node or the test is gone.
    }
    try {
      socket.close();
    } catch (IOException e) {
      // Closed already.
    }
  }

  private void forward(String line) throws IOException {
    synchronized (nodeOut) {
      nodeOut.write(line);
      nodeOut.write('\n');
      nodeOut.flush();
    }
  }

  /** The node's log lines that contain {@code text}, the first {@link #MAX_LOG_LINES}. */
  private String logLines(String text) {
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      String found =
          String.join("\n", lines.filter(l -> l.contains(text)).limit(MAX_LOG_LINES).toList());
      return Control.bytes(found.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + log, e);
    }
  }

  private void stopNode() {
    node.destroyForcibly();
    try {
      node.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(String line) throws IOException {
    synchronized (out) {
      out.write(line);
      out.write('\n');
      out.flush();
    }
  }

  private static Writer writer(Socket socket) {
    try {
      return new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write to " + socket, e);
    }
  }

  private static String echo(String text) {
    return text.length() <= ECHO_CHARS ? text : text.substring(0, ECHO_CHARS) + "...";
  }
}
