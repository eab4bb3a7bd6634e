package dev.gossip.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.pekko.NodeSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * N real gossip nodes, each in a JVM of its own started from the test's classpath with its own
 * configuration, driven over a loopback control connection: the sibling of {@link TestCluster} for
 * what one JVM cannot show (SIGKILL, a whole process stopped, per-process class loading and
 * configuration).
 *
 * <p>Process faults: {@link #kill} (SIGKILL), {@link #freeze} and {@link #thaw} (SIGSTOP and
 * SIGCONT), {@link #stop} (Leave, then exit). Network faults act in each node's link layer, as in
 * {@link TestCluster}: {@link #partition}, {@link #partitionOneWay}, {@link #heal}, {@link
 * #dropFrames}, {@link #delayFrames}. Every broadcast, delivery and fault goes into a {@link
 * History}; {@link #check} checks the guarantee over it.
 *
 * <p>With {@link Builder#agents} the nodes run on other hosts, each under a {@link NodeAgent} there
 * that starts it, relays its control channel and signals it; everything above works the same, and
 * the nodes' event times are moved onto this host's clock by an offset estimated over the channel.
 *
 * <p>A node process exits when its control connection closes, and a shutdown hook kills every node
 * process still up when the test JVM exits, so no node outlives its test. Not thread-safe for
 * concurrent fault calls; the handles and awaits are.
 */
public final class ProcessCluster implements AutoCloseable {

  /**
   * JVM options of each node process by default: a small heap and quick start, for several nodes on
   * a few cores.
   */
  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of("-Xmx256m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration LEAVE_GRACE = Duration.ofSeconds(10);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

  /** How the history names the two layers faults are made in. */
  private static final String LINK_LAYER = "";

  private static final String KERNEL_LAYER = "kernel ";
  private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();
  private static final Set<KernelNetwork> NETWORKS = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  CHILDREN.forEach(Process::destroyForcibly);
                  NETWORKS.forEach(KernelNetwork::close);
                },
                "gossip-process-reaper"));
  }

  /** Kills {@code process} when this JVM exits, unless it ended before. */
  static void adopt(Process process) {
    CHILDREN.add(process);
    process.onExit().thenRun(() -> CHILDREN.remove(process));
  }

  /** Builds a cluster: how many nodes, their configuration and JVM options. */
  public static final class Builder {
    private int nodes = 3;
    private String config = "";
    private final Map<Integer, String> nodeConfig = new HashMap<>();
    private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
    private boolean joined = true;
    private boolean kernelNetwork;
    private List<InetSocketAddress> agents = List.of();

    private Builder() {}

    /**
     * Runs the nodes under the {@link NodeAgent}s at these addresses ("host:port"), node {@code i}
     * under agent {@code i % agents}, instead of as children of this JVM; sets the node count to
     * the number of agents (call {@link #nodes} after to change it). The agents' JVM options and
     * addresses apply; {@link #jvmOptions} does not.
     */
    public Builder agents(List<String> hostPorts) {
      List<InetSocketAddress> parsed = new ArrayList<>();
      for (String hostPort : hostPorts) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
          throw new IllegalArgumentException("an agent is host:port, not " + hostPort);
        }
        parsed.add(
            InetSocketAddress.createUnresolved(
                hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
      }
      this.agents = List.copyOf(parsed);
      this.nodes = parsed.size();
      return this;
    }

    /**
     * Puts each node in a Linux network namespace of its own, on one bridge, so {@link #kernel} can
     * make faults in the kernel (root, iproute2 and nftables; {@link
     * ProcessCluster#kernelNetworkUnavailable} says why not where it cannot run).
     */
    public Builder kernelNetwork() {
      this.kernelNetwork = true;
      return this;
    }

    public Builder nodes(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("nodes must be >= 0, was " + count);
      }
      this.nodes = count;
      return this;
    }

    /** HOCON applied to every node over {@link TestCluster#BASE_CONFIG}. */
    public Builder config(String hocon) {
      this.config = hocon;
      return this;
    }

    /** HOCON applied to node {@code index} only, over {@link #config}. */
    public Builder nodeConfig(int index, String hocon) {
      nodeConfig.put(index, hocon);
      return this;
    }

    /** The node processes' JVM options, instead of {@link #DEFAULT_JVM_OPTIONS}. */
    public Builder jvmOptions(String... options) {
      this.jvmOptions = List.of(options);
      return this;
    }

    /** Whether the nodes join one overlay at start (default true); else call {@link #join}. */
    public Builder joined(boolean join) {
      this.joined = join;
      return this;
    }

    /**
     * Starts the node processes together, waits for each, and joins them unless told not to; kills
     * them all if any fails.
     */
    public ProcessCluster start() {
      if (kernelNetwork && !agents.isEmpty()) {
        throw new IllegalStateException("kernelNetwork() runs nodes on this host, not on agents");
      }
      ProcessCluster cluster = new ProcessCluster(this);
      try {
        // As many JVMs start at once as there are cores: more only slow each other's start.
        int together = Runtime.getRuntime().availableProcessors();
        List<ProcessNode> started = new ArrayList<>();
        for (int i = 0; i < nodes; i += together) {
          List<ProcessNode> batch = new ArrayList<>();
          for (int j = i; j < Math.min(nodes, i + together); j++) {
            batch.add(cluster.launch());
          }
          batch.forEach(cluster::ready);
          started.addAll(batch);
        }
        if (joined) {
          started.forEach(cluster::join);
        }
        return cluster;
      } catch (RuntimeException | Error e) {
        cluster.close();
        throw e;
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private final String config;
  private final Map<Integer, String> nodeConfig;
  private final List<String> jvmOptions;
  private final List<InetSocketAddress> agents;
  private final Duration retention;
  private final Path directory;
  private final KernelNetwork kernel;
  private final Map<ProcessNode, KernelNetwork.Host> hosts = new ConcurrentHashMap<>();
  private volatile boolean saidNoNetem;
  private final Signal signal = new Signal();
  private final History history = new History();
  private final List<ProcessNode> nodes = new CopyOnWriteArrayList<>();
  private final List<ProcessNode> launched = new CopyOnWriteArrayList<>();
  private final Map<NodeId, ProcessNode> byId = new ConcurrentHashMap<>();
  private final Awaits<ProcessNode> awaits = new Awaits<>(signal, byId::get);

  private ProcessCluster(Builder builder) {
    this.config = builder.config;
    this.nodeConfig = Map.copyOf(builder.nodeConfig);
    this.jvmOptions = builder.jvmOptions;
    this.agents = builder.agents;
    // Loading the settings here fails a bad configuration before any process starts.
    Config settings =
        ConfigFactory.parseString(config)
            .withFallback(ConfigFactory.parseString(TestCluster.BASE_CONFIG))
            .withFallback(ConfigFactory.load())
            .resolve();
    this.retention = NodeSettings.load(settings).protocol().recovery().historyRetention();
    try {
      this.directory = Files.createTempDirectory("gossip-processes-");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a directory for the node processes", e);
    }
    if (builder.kernelNetwork) {
      kernelNetworkUnavailable()
          .ifPresent(
              reason -> {
                throw new UnsupportedOperationException(reason);
              });
      this.kernel = new KernelNetwork();
      NETWORKS.add(kernel);
    } else {
      this.kernel = null;
    }
  }

  /**
   * Why {@link Builder#kernelNetwork} cannot run on this machine (not Linux, not root, no iproute2
   * or nftables), or empty if it can: a test skips with this reason.
   */
  public static Optional<String> kernelNetworkUnavailable() {
    return KernelNetwork.unavailable();
  }

  /** Every node started, in start order, stopped ones included. */
  public List<ProcessNode> nodes() {
    return List.copyOf(nodes);
  }

  public ProcessNode node(int index) {
    return nodes.get(index);
  }

  /** Nodes running now (not frozen, killed, left or exited). */
  public List<ProcessNode> running() {
    return nodes.stream().filter(ProcessNode::isRunning).toList();
  }

  /** The node with this id, or null. */
  public ProcessNode byId(NodeId id) {
    return byId.get(id);
  }

  /** Where the node processes' configuration files and logs are ({@code <name>.conf}, .log). */
  public Path directory() {
    return directory;
  }

  /** Starts one more node process, not joined. */
  public ProcessNode startNode() {
    ProcessNode node = launch();
    ready(node);
    return node;
  }

  /** Starts one more node process and joins it to the overlay. */
  public ProcessNode addNode() {
    ProcessNode node = startNode();
    join(node);
    return node;
  }

  private ProcessNode launch() {
    int index = launched.size();
    String name = "n" + index;
    if (!agents.isEmpty()) {
      return launchOn(agents.get(index % agents.size()), name, nodeConfig(index, ""));
    }
    Path conf = directory.resolve(name + ".conf");
    List<String> command = new ArrayList<>();
    String placement = "";
    InetAddress control = InetAddress.getLoopbackAddress();
    KernelNetwork.Host host = null;
    if (kernel != null) {
      host = kernel.addHost();
      command.addAll(KernelNetwork.exec(host));
      placement = "gossip.host = \"" + host.address() + "\"";
      control = address(kernel.controlAddress());
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Dconfig.file=" + conf);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(NodeProcess.class.getName());
    try {
      Files.writeString(conf, nodeConfig(index, placement), StandardCharsets.UTF_8);
      ProcessNode node =
          ProcessNode.launch(
              name, command, control, directory.resolve(name + ".log"), signal, history);
      launched.add(node);
      if (host != null) {
        hosts.put(node, host);
      }
      return node;
    } catch (IOException e) {
      throw new IllegalStateException(name + " could not be started", e);
    }
  }

  /** Node {@code index}'s configuration: the base, its placement, the cluster's, its own. */
  private String nodeConfig(int index, String placement) {
    return String.join(
        "\n", TestCluster.BASE_CONFIG, placement, config, nodeConfig.getOrDefault(index, ""), "");
  }

  private ProcessNode launchOn(InetSocketAddress agent, String name, String conf) {
    try {
      InetSocketAddress resolved = new InetSocketAddress(agent.getHostString(), agent.getPort());
      ProcessNode node = ProcessNode.connect(name, resolved, conf, signal, history);
      launched.add(node);
      return node;
    } catch (IOException e) {
      throw new IllegalStateException(name + " could not be started: " + e.getMessage(), e);
    }
  }

  private static InetAddress address(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (IOException e) {
      throw new IllegalStateException("not an address: " + ip, e);
    }
  }

  private void ready(ProcessNode node) {
    node.awaitReady(START_TIMEOUT);
    nodes.add(node);
    byId.put(node.id(), node);
  }

  /**
   * Joins the node through a random other running node that has joined (the first node to join
   * starts the overlay), waiting (bounded) for the join to complete: when the contact does not
   * answer in time (a busy machine), the node keeps trying and the wait is for its first neighbour.
   */
  public void join(ProcessNode node) {
    List<ProcessNode> contacts =
        running().stream().filter(n -> n != node && !n.activeView().isEmpty()).toList();
    if (contacts.isEmpty()) {
      contacts = running().stream().filter(n -> n != node && n.joined).toList();
    }
    String through =
        contacts.isEmpty()
            ? "-"
            : contacts.get(ThreadLocalRandom.current().nextInt(contacts.size())).address();
    if (node.request("join", JOIN_TIMEOUT, through).equals(NodeProcess.RETRYING)) {
      signal.await(
          node + "'s first neighbour after joining through " + through,
          JOIN_TIMEOUT,
          () -> node.activeView().isEmpty() ? "none yet" : null);
    }
    node.joined = true;
    history.joined(node.name());
  }

  // ---- process faults ----

  /** Kills the node processes with SIGKILL: their sockets close as the kernel closes them. */
  public void kill(ProcessNode... victims) {
    kill(Arrays.asList(victims));
  }

  public void kill(Collection<ProcessNode> victims) {
    for (ProcessNode node : victims) {
      history.stopped(node.name(), "killed");
      node.state(ProcessNode.State.KILLED);
      node.kill();
    }
    victims.forEach(n -> n.awaitExit(EXIT_TIMEOUT));
  }

  /**
   * Stops the whole process with SIGSTOP: threads, timers and GC halt while the kernel keeps its
   * sockets open and buffering, as in a long GC pause or a suspended VM.
   */
  public void freeze(ProcessNode node) {
    node.signal("STOP");
    history.froze(node.name());
    node.state(ProcessNode.State.FROZEN);
  }

  /** Resumes a frozen process with SIGCONT. */
  public void thaw(ProcessNode node) {
    node.signal("CONT");
    history.thawed(node.name());
    node.state(ProcessNode.State.RUNNING);
  }

  /**
   * Graceful stop: the node leaves the overlay (its neighbours are told), then exits once no
   * running node has it as a neighbour (or after 10 s).
   */
  public void stop(ProcessNode node) {
    NodeId id = node.id();
    node.request("leave", LEAVE_GRACE);
    signal.awaitOrProblem(
        "neighbours to drop " + node,
        LEAVE_GRACE,
        () ->
            running().stream().anyMatch(n -> n != node && n.activeView().contains(id))
                ? "still a neighbour"
                : null);
    history.stopped(node.name(), "left");
    node.state(ProcessNode.State.LEFT);
    try {
      node.send("exit");
    } catch (IOException e) {
      // Already gone: the wait below sees it.
    }
    node.awaitExit(EXIT_TIMEOUT);
  }

  // ---- network faults, in each running node's link layer ----

  /**
   * Cuts every link between nodes of different groups, both ways: open links go silent, new
   * connections fail. Nodes in no group keep their links. Each cut is set at both ends, so a node
   * frozen meanwhile is cut off by its running peers.
   */
  @SafeVarargs
  public final void partition(Collection<ProcessNode>... groups) {
    List<Collection<ProcessNode>> sides = new ArrayList<>();
    for (Collection<ProcessNode> group : groups) {
      sides.add(group);
    }
    cutBetween(sides, this::block, LINK_LAYER);
  }

  /** Cuts every pair of sides with {@code block}, and records the cut in the history. */
  private void cutBetween(
      List<Collection<ProcessNode>> sides,
      BiConsumer<Collection<ProcessNode>, Collection<ProcessNode>> block,
      String layer) {
    for (Collection<ProcessNode> a : sides) {
      for (Collection<ProcessNode> b : sides) {
        if (a != b) {
          block.accept(a, b);
        }
      }
    }
    history.cut(
        layer,
        sides.stream().map(g -> ProcessNode.names(List.copyOf(g))).toList(),
        layer + label(sides, false));
  }

  private void cutOneWay(
      Collection<ProcessNode> from,
      Collection<ProcessNode> to,
      BiConsumer<Collection<ProcessNode>, Collection<ProcessNode>> block,
      String layer) {
    block.accept(from, to);
    history.cut(
        layer,
        List.of(ProcessNode.names(List.copyOf(from)), ProcessNode.names(List.copyOf(to))),
        layer + label(List.of(from, to), true));
  }

  /** Cuts the links from every node of {@code from} to every node of {@code to}, one way only. */
  public void partitionOneWay(Collection<ProcessNode> from, Collection<ProcessNode> to) {
    cutOneWay(from, to, this::block, LINK_LAYER);
  }

  private void block(Collection<ProcessNode> from, Collection<ProcessNode> to) {
    for (ProcessNode a : from) {
      for (ProcessNode b : to) {
        String link = Control.nodeId(a.id()) + " " + Control.nodeId(b.id());
        for (ProcessNode end : List.of(a, b)) {
          if (end.isRunning()) {
            end.request("block", link);
          }
        }
      }
    }
  }

  /** Restores every cut link; frame loss and delay stay. */
  public void heal() {
    running().forEach(n -> n.request("heal"));
    history.healed(LINK_LAYER);
  }

  /** Drops this fraction of the frames on every link (0 stops dropping). */
  public void dropFrames(double fraction) {
    running().forEach(n -> dropFrames(n, fraction));
  }

  /** Drops this fraction of the frames {@code node} sends (a lossy uplink; 0 stops dropping). */
  public void dropFrames(ProcessNode node, double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in 0..1, was " + fraction);
    }
    node.request("drop", Double.toString(fraction));
    history.fault("frame loss at " + node.name(), fraction > 0);
  }

  /** Delays every frame on every link by {@code delay} plus a uniform {@code 0..jitter}. */
  public void delayFrames(Duration delay, Duration jitter) {
    running().forEach(n -> delayFrames(n, delay, jitter));
  }

  /** Delays the frames {@code node} sends (a slow uplink); their order per link is kept. */
  public void delayFrames(ProcessNode node, Duration delay, Duration jitter) {
    node.request("delay", Long.toString(delay.toNanos()), Long.toString(jitter.toNanos()));
    history.fault("frame delay at " + node.name(), !delay.isZero() || !jitter.isZero());
  }

  /** Removes every link fault: cuts, loss and delay. */
  public void clearFaults() {
    running().forEach(n -> n.request("clear"));
    history.healed(LINK_LAYER);
    history.clearFrameFaults();
  }

  // ---- network faults in the kernel ----

  /** The kernel's faults; the cluster must be built with {@link Builder#kernelNetwork}. */
  public Kernel kernel() {
    if (kernel == null) {
      throw new IllegalStateException("built without kernelNetwork(): no faults in the kernel");
    }
    return new Kernel();
  }

  /**
   * Faults in the kernel, as nftables rules in the nodes' namespaces: packets dropped silently, so
   * TCP retransmits and connections stay half-open as on a real network.
   */
  public final class Kernel {
    private Kernel() {}

    /** Drops every packet between nodes of different groups, both ways. */
    @SafeVarargs
    public final void partition(Collection<ProcessNode>... groups) {
      List<Collection<ProcessNode>> sides = new ArrayList<>();
      for (Collection<ProcessNode> group : groups) {
        sides.add(group);
      }
      cutBetween(sides, this::block, KERNEL_LAYER);
    }

    /** Drops every packet from nodes of {@code from} to nodes of {@code to}, one way only. */
    public void partitionOneWay(Collection<ProcessNode> from, Collection<ProcessNode> to) {
      cutOneWay(from, to, this::block, KERNEL_LAYER);
    }

    private void block(Collection<ProcessNode> from, Collection<ProcessNode> to) {
      for (ProcessNode a : from) {
        for (ProcessNode b : to) {
          kernel.block(hosts.get(a), hosts.get(b));
        }
      }
    }

    /** Removes every cut; loss and delay stay. */
    public void heal() {
      kernel.heal();
      history.healed(KERNEL_LAYER);
    }

    /** Drops this fraction of the packets the node sends, at random (0 removes the loss). */
    public void loss(ProcessNode node, double fraction) {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException("fraction must be in 0..1, was " + fraction);
      }
      kernel.loss(hosts.get(node), fraction);
      history.fault("packet loss at " + node.name(), fraction > 0);
    }

    /**
     * Delays the packets the node sends by {@code delay} plus a uniform {@code 0..jitter} with
     * netem (zero removes it). Where the kernel has no netem, delays the frames the node sends in
     * its link layer instead ({@link #delayFrames(ProcessNode, Duration, Duration)}), and says so
     * once, on standard output.
     */
    public void delay(ProcessNode node, Duration delay, Duration jitter) {
      boolean delayed = !delay.isZero() || !jitter.isZero();
      if (kernel.delay(hosts.get(node), delay, jitter)) {
        history.fault("packet delay at " + node.name(), delayed);
        return;
      }
      if (delayed && !saidNoNetem) {
        saidNoNetem = true;
        System.out.println(
            "gossip-testkit: this kernel has no netem qdisc, so packet delay and jitter are made"
                + " as frame delay in the nodes' link layer instead (loss and partitions stay in"
                + " the kernel)");
      }
      delayFrames(node, delay, jitter);
    }
  }

  /** "partition [n0,n1]|[n2,n3]", or with {@code oneWay} "cut [n0]->[n1]". */
  private static String label(List<Collection<ProcessNode>> sides, boolean oneWay) {
    return sides.stream()
        .map(g -> g.stream().map(ProcessNode::name).collect(Collectors.joining(",", "[", "]")))
        .collect(Collectors.joining(oneWay ? "->" : "|", oneWay ? "cut " : "partition ", ""));
  }

  /** Where {@code node} is in the kernel network (for tests of the kit), or null. */
  KernelNetwork.Host kernelHost(ProcessNode node) {
    return hosts.get(node);
  }

  // ---- history and awaits ----

  /** Every broadcast, delivery and fault so far. */
  public History history() {
    return history;
  }

  /** Starts a phase of the history: broadcasts from now on are counted under its name. */
  public void phase(String name) {
    history.phase(name);
  }

  /**
   * Checks the guarantee over the history so far, with the running nodes as receivers and the
   * nodes' {@code gossip.recovery.history-retention} as the longest cut-off they catch up from.
   */
  public History.Report check() {
    return history.check(ProcessNode.names(running()), retention);
  }

  /** Waits until every running node delivered every one of {@code ids}. */
  public void awaitDelivered(Collection<MessageId> ids, Duration timeout) {
    awaitDelivered(ids, running(), timeout);
  }

  /** Waits until each of {@code receivers} delivered every one of {@code ids}. */
  public void awaitDelivered(
      Collection<MessageId> ids, Collection<ProcessNode> receivers, Duration timeout) {
    awaits.delivered(ids, receivers, timeout);
  }

  /** Waits until every running node delivered every message the history holds. */
  public void awaitAllDelivered(Duration timeout) {
    awaitDelivered(
        history.broadcasts().stream().map(History.Broadcast::id).toList(), running(), timeout);
  }

  /** {@link #awaitViewsConverged(Collection, Duration)} over the running nodes. */
  public void awaitViewsConverged(Duration timeout) {
    awaitViewsConverged(running(), timeout);
  }

  /**
   * Waits until the active views of {@code members} are settled: none empty, none holding a node
   * outside {@code members}, and every link known to both ends.
   */
  public void awaitViewsConverged(Collection<ProcessNode> members, Duration timeout) {
    awaits.viewsConverged(members, timeout);
  }

  /** {@link #awaitConnected(Collection, Duration)} over the running nodes. */
  public void awaitConnected(Duration timeout) {
    awaitConnected(running(), timeout);
  }

  /** Waits until the active views of {@code members} form one connected overlay. */
  public void awaitConnected(Collection<ProcessNode> members, Duration timeout) {
    awaits.connected(members, timeout);
  }

  /** The connected components of the members' active views, links between members only. */
  public List<List<ProcessNode>> components(Collection<ProcessNode> members) {
    return awaits.components(members);
  }

  /** Waits until {@code condition} holds; on timeout fails naming {@code what}. */
  public void await(String what, Duration timeout, BooleanSupplier condition) {
    awaits.condition(what, timeout, condition);
  }

  /**
   * Kills every node process still up (frozen ones too); their logs stay in {@link #directory}, or
   * on the agents' hosts ({@link ProcessNode#log}).
   */
  @Override
  public void close() {
    List<ProcessNode> all = List.copyOf(launched);
    all.forEach(ProcessNode::destroy);
    all.forEach(n -> n.awaitExit(EXIT_TIMEOUT));
    if (kernel != null) {
      kernel.close();
      NETWORKS.remove(kernel);
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "ProcessCluster(%d nodes, %s)", nodes.size(), directory.toString());
  }
}
