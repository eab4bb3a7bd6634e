package dev.gossip.testkit;

import dev.gossip.core.DownReason;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.pekko.GossipEvent;
import dev.gossip.pekko.MetricsSnapshot;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A handle on one node of a {@link ProcessCluster}: a gossip node in a JVM of its own, driven over
 * a control connection, on this host or through a {@link NodeAgent} on another. It records every
 * event the node publishes, stamped with the node's wall-clock time (moved onto this host's clock
 * by the estimated offset, for a node on another host), so a test reads what the node delivered and
 * its active view as the node reported them. Thread-safe.
 */
public final class ProcessNode implements Member {

  /** Where a node process is in its life. */
  public enum State {
    RUNNING,
    /** Stopped by SIGSTOP ({@link ProcessCluster#freeze}): the whole JVM, its sockets left open. */
    FROZEN,
    /** Killed by SIGKILL ({@link ProcessCluster#kill}). */
    KILLED,
    /** Left the overlay and exited ({@link ProcessCluster#stop}). */
    LEFT,
    /** The process ended or closed its control connection without being told to. */
    EXITED
  }

  /** An event as the node published it, with its wall-clock time in microseconds. */
  public record Event(long micros, GossipEvent event) {}

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final int LOG_TAIL_LINES = 20;

  /** Round trips to a node's agent for its clock offset: the shortest one is kept. */
  private static final int CLOCK_SAMPLES = 8;

  private final String name;

  /** On this host: the node's process, and where it connects; null on an agent. */
  private final Process process;

  private final ServerSocket server;

  /** On another host: the agent's address, and the connection to it; null on this host. */
  private final InetSocketAddress agent;

  private final Socket agentSocket;
  private final ClockOffset clock = new ClockOffset();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile Path log;
  private volatile long agentPid;

  /** The node's clock minus this one, microseconds: 0 on this host. */
  private volatile long offsetMicros;

  private final Signal signal;
  private final History history;
  private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextSeq = new AtomicLong();
  private final Map<MessageId, AtomicInteger> deliveries = new ConcurrentHashMap<>();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final Map<NodeId, Boolean> view = new LinkedHashMap<>();
  private volatile NodeId id;
  private volatile Writer out;
  private volatile State state = State.RUNNING;

  /** Joined an overlay (set by the cluster). */
  volatile boolean joined;

  private ProcessNode(
      String name,
      Process process,
      ServerSocket server,
      InetSocketAddress agent,
      Socket agentSocket,
      Path log,
      Signal signal,
      History history) {
    this.name = name;
    this.process = process;
    this.server = server;
    this.agent = agent;
    this.agentSocket = agentSocket;
    this.log = log;
    this.signal = signal;
    this.history = history;
  }

  /**
   * Starts the process: {@code command} plus the control connection's address and port and the
   * node's name as arguments, its output to {@code log}. {@link #awaitReady} waits for the node.
   */
  static ProcessNode launch(
      String name,
      List<String> command,
      InetAddress controlAddress,
      Path log,
      Signal signal,
      History history)
      throws IOException {
    ServerSocket control = new ServerSocket(0, 1, controlAddress);
    List<String> full = new ArrayList<>(command);
    full.add(controlAddress.getHostAddress());
    full.add(Integer.toString(control.getLocalPort()));
    full.add(name);
    Process process;
    try {
      process =
          new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      control.close();
      throw e;
    }
    ProcessCluster.adopt(process);
    return new ProcessNode(name, process, control, null, null, log, signal, history);
  }

  /**
   * Connects to the {@link NodeAgent} at {@code agent} and has it start the node with {@code
   * config} (the agent's JVM options and address apply). {@link #awaitReady} waits for the node.
   */
  static ProcessNode connect(
      String name, InetSocketAddress agent, String config, Signal signal, History history)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(agent, (int) CONNECT_TIMEOUT.toMillis());
      ProcessNode node = new ProcessNode(name, null, null, agent, socket, null, signal, history);
      node.out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
      node.send("start 0 " + name + " " + Control.bytes(config.getBytes(StandardCharsets.UTF_8)));
      return node;
    } catch (IOException e) {
      socket.close();
      throw new IOException("cannot reach the node agent at " + agent + ": " + e.getMessage(), e);
    }
  }

  /** Waits (bounded) for the node to connect and report its identity. */
  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      Socket socket = agent == null ? accept(deadline, timeout) : agentSocket;
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      InputStream in = new BufferedInputStream(socket.getInputStream());
      if (agent == null) {
        out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
      } else {
        started(Control.readLine(in));
      }
      String ready = Control.readLine(in);
      if (ready == null || !ready.startsWith("ready ")) {
        throw new IllegalStateException(failure("said " + ready + " instead of ready"));
      }
      id = Control.nodeId(ready.substring("ready ".length()));
      socket.setSoTimeout(0);
      Thread reader = new Thread(() -> read(in), "gossip-control-" + name);
      reader.setDaemon(true);
      reader.start();
      if (agent != null) {
        estimateClock();
      }
    } catch (IOException e) {
      destroy();
      throw new IllegalStateException(failure("control connection failed: " + e), e);
    } catch (RuntimeException e) {
      destroy();
      throw e;
    }
  }

  private Socket accept(long deadline, Duration timeout) throws IOException {
    try (ServerSocket control = server) {
      control.setSoTimeout(200);
      while (true) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(failure("did not connect within " + timeout));
        }
        try {
          return control.accept();
        } catch (SocketTimeoutException e) {
          // Check the process and the deadline again.
        }
      }
    }
  }

  /** The agent's answer to start: {@code ok 0 <pid> <base64 log path>}, or why not. */
  private void started(String answer) {
    String[] f = answer == null ? new String[0] : answer.split(" ");
    if (f.length != 4 || !f[0].equals("ok")) {
      throw new IllegalStateException(failure("was not started: " + answer));
    }
    agentPid = Long.parseLong(f[2]);
    log = Path.of(new String(Control.bytes(f[3]), StandardCharsets.UTF_8));
  }

  /** Estimates the offset of the agent's clock, which the node stamps its events with. */
  private void estimateClock() {
    for (int i = 0; i < CLOCK_SAMPLES; i++) {
      long sent = History.now();
      long remote = Long.parseLong(request("clock"));
      clock.sample(sent, remote, History.now());
    }
    offsetMicros = clock.micros();
  }

  private void read(InputStream in) {
    String why = "closed";
    try {
      for (String line = Control.readLine(in); line != null; line = Control.readLine(in)) {
        handle(line.split(" "));
      }
    } catch (IOException | RuntimeException e) {
      // The node is gone, or sent what this side cannot read: either way the channel is over.
      why = "failed: " + e;
    }
    if (state == State.RUNNING || state == State.FROZEN) {
      state = State.EXITED;
      history.stopped(name, "exited");
    }
    IllegalStateException gone =
        new IllegalStateException(name + "'s control channel " + why + " (log: " + log + ")");
    pending.values().forEach(f -> f.completeExceptionally(gone));
    closed.complete(null);
    signal.changed();
  }

  private void handle(String[] f) {
    switch (f[0]) {
      case "ok", "err" -> {
        String rest = f.length > 2 ? String.join(" ", List.of(f).subList(2, f.length)) : "";
        if (f[1].equals("?")) {
          // A line of ours the other side could not read far enough to answer: none waits for it.
          System.err.println(name + " refused a line it could not read: " + rest);
          return;
        }
        CompletableFuture<String> reply = pending.remove(Long.parseLong(f[1]));
        if (reply != null && f[0].equals("ok")) {
          reply.complete(rest);
        } else if (reply != null) {
          reply.completeExceptionally(new IllegalStateException(name + ": " + rest));
        }
      }
      case "delivery" -> {
        MessageId message = Control.messageId(f[2]);
        int hops = Integer.parseInt(f[3]);
        deliveries.computeIfAbsent(message, k -> new AtomicInteger()).incrementAndGet();
        long micros = Long.parseLong(f[1]) - offsetMicros;
        history.delivered(name, message.origin().equals(id), message, micros);
        record(
            micros, new GossipEvent.Delivery(message, message.origin(), Control.bytes(f[4]), hops));
      }
      case "up" -> {
        NodeId peer = Control.nodeId(f[2]);
        synchronized (view) {
          view.put(peer, Boolean.TRUE);
        }
        record(Long.parseLong(f[1]) - offsetMicros, new GossipEvent.NeighborUp(peer));
      }
      case "down" -> {
        NodeId peer = Control.nodeId(f[2]);
        synchronized (view) {
          view.remove(peer);
        }
        record(
            Long.parseLong(f[1]) - offsetMicros,
            new GossipEvent.NeighborDown(peer, DownReason.valueOf(f[3])));
      }
      case "missed" ->
          record(
              Long.parseLong(f[1]) - offsetMicros,
              new GossipEvent.Missed(Long.parseLong(f[2]), Long.parseLong(f[3])));
      default -> throw new IllegalArgumentException("unknown line from " + name + ": " + f[0]);
    }
  }

  private void record(long micros, GossipEvent event) {
    events.add(new Event(micros, event));
    signal.changed();
  }

  /** Sends a command and waits (bounded) for its reply; a frozen node answers after its thaw. */
  String request(String command, String... args) {
    return request(command, REQUEST_TIMEOUT, args);
  }

  String request(String command, Duration timeout, String... args) {
    long seq = nextSeq.incrementAndGet();
    CompletableFuture<String> reply = new CompletableFuture<>();
    pending.put(seq, reply);
    StringBuilder line = new StringBuilder(command).append(' ').append(seq);
    for (String arg : args) {
      line.append(' ').append(arg);
    }
    try {
      send(line.toString());
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      pending.remove(seq);
      throw new IllegalStateException(name + " did not answer " + command, e);
    }
  }

  void send(String line) throws IOException {
    Writer w = out;
    synchronized (w) {
      w.write(line);
      w.write('\n');
      w.flush();
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** The node's identity: host, bound port, incarnation. */
  @Override
  public NodeId id() {
    return id;
  }

  /** "host:port", what other nodes use as a contact. */
  public String address() {
    return id.host() + ":" + id.port();
  }

  /** The operating system's process id (on the agent's host, for a node on another host). */
  public long pid() {
    return process != null ? process.pid() : agentPid;
  }

  /** The file the process writes its output and logs to (on the agent's host, if on another). */
  public Path log() {
    return log;
  }

  /** The agent the node runs under, "host:port", or empty for a node on this host. */
  public Optional<String> agent() {
    return Optional.ofNullable(agent).map(a -> a.getHostString() + ":" + a.getPort());
  }

  /**
   * How far the node's clock is ahead of this one, as estimated over the control channel when it
   * started (zero on this host): its event times are moved back by it.
   */
  public Duration clockOffset() {
    return Duration.ofNanos(offsetMicros * 1_000);
  }

  /** The most {@link #clockOffset} can be off by: half the best round trip (zero on this host). */
  public Duration clockUncertainty() {
    return agent == null ? Duration.ZERO : Duration.ofNanos(clock.uncertaintyMicros() * 1_000);
  }

  public State state() {
    return state;
  }

  /** Running, neither frozen nor stopped. */
  public boolean isRunning() {
    return state == State.RUNNING;
  }

  /**
   * Broadcasts and waits (bounded) for the message id and for the node's own delivery of it, which
   * puts it in the history: an await over the history's messages that starts next includes it.
   */
  public MessageId broadcast(byte[] payload) {
    MessageId id = Control.messageId(request("broadcast", Control.bytes(payload)));
    signal.await(
        name + "'s own delivery of " + id,
        REQUEST_TIMEOUT,
        () -> deliveries.containsKey(id) ? null : "its event did not come yet");
    return id;
  }

  public MessageId broadcast(String payload) {
    return broadcast(payload.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean hasDelivered(MessageId message) {
    return deliveries.containsKey(message);
  }

  /** How often this node delivered the message (more than 1 would be a duplicate). */
  public int deliveryCount(MessageId message) {
    AtomicInteger n = deliveries.get(message);
    return n == null ? 0 : n.get();
  }

  /** Every message id this node delivered. */
  public Set<MessageId> delivered() {
    return Set.copyOf(deliveries.keySet());
  }

  /** Every event the node published, in order, with its time. */
  public List<Event> events() {
    return List.copyOf(events);
  }

  @Override
  public Set<NodeId> activeView() {
    synchronized (view) {
      return Set.copyOf(new ArrayList<>(view.keySet()));
    }
  }

  /** The node's metrics, asked over the control channel. */
  public MetricsSnapshot metrics() {
    return Control.metrics(request("metrics"));
  }

  /**
   * The lines of the node's log that contain {@code text} (e.g. "WARN"); from a node on another
   * host the first thousand, asked of its agent.
   */
  public List<String> logLines(String text) {
    if (agent != null) {
      String found =
          new String(
              Control.bytes(request("log", Control.bytes(text.getBytes(StandardCharsets.UTF_8)))),
              StandardCharsets.UTF_8);
      return found.isEmpty() ? List.of() : List.of(found.split("\n"));
    }
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains(text)).toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + log, e);
    }
  }

  @Override
  public String toString() {
    return name
        + " (pid "
        + pid()
        + agent().map(a -> " under " + a).orElse("")
        + (id == null ? "" : ", " + address())
        + ", "
        + state.name().toLowerCase(Locale.ROOT)
        + ")";
  }

  /** SIGKILL, through the agent for a node on another host; {@link #awaitExit} waits for it. */
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    } else {
      try {
        send("kill " + nextSeq.incrementAndGet());
      } catch (IOException e) {
        // The channel is gone, and with it the node (its agent kills it).
      }
    }
  }

  /** Sends STOP or CONT to the node's process, through the agent for a node on another host. */
  void signal(String signal) {
    if (process != null) {
      Posix.signal(process.pid(), signal);
    } else {
      request("signal", signal);
    }
  }

  /**
   * Waits (bounded) for the process to end, or for the agent to close the channel once it did; at
   * the deadline kills it.
   */
  void awaitExit(Duration timeout) {
    try {
      if (process != null) {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
      } else {
        try {
          closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          destroy();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + this + " to exit", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Kills the node now: its process, or, on another host, the channel (its agent kills it). */
  void destroy() {
    if (process != null) {
      process.destroyForcibly();
    } else {
      try {
        agentSocket.close();
      } catch (IOException e) {
        // Closed already.
      }
      closed.complete(null);
    }
  }

  void state(State next) {
    state = next;
    signal.changed();
  }

  private String failure(String what) {
    if (agent != null) {
      return name + " under the agent at " + agent + " " + what + " (its log is on that host)";
    }
    StringBuilder s = new StringBuilder(name).append(' ').append(what);
    if (!process.isAlive()) {
      s.append(" (exit code ").append(process.exitValue()).append(')');
    }
    s.append("; the last lines of ").append(log).append(':');
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      lines
          .subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())
          .forEach(l -> s.append("\n  ").append(l));
    } catch (IOException e) {
      s.append(" unreadable: ").append(e);
    }
    return s.toString();
  }

  static Set<String> names(List<ProcessNode> nodes) {
    Set<String> names = new LinkedHashSet<>();
    nodes.forEach(n -> names.add(n.name()));
    return names;
  }
}
