package dev.gossip.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network in the Linux kernel for a {@link ProcessCluster}: each node process in a network
 * namespace of its own, its {@code eth0} one end of a veth pair whose other end is on a bridge in
 * the test's namespace (which also carries the control connections). Faults are nftables rules in
 * the nodes' namespaces: silent drops (no reset, no ICMP, so TCP retransmits as on a real network)
 * for partitions, both ways or one way, and random loss per host; delay and jitter per host use
 * netem where the kernel has it (nothing else in a stock kernel delays packets: the other ways need
 * the fq or etf qdisc and a BPF program). Needs root, iproute2 and nftables; {@link #unavailable}
 * says why it cannot run here. Every namespace, link and rule is removed on {@link #close}.
 */
final class KernelNetwork implements AutoCloseable {

  private static final AtomicInteger NETWORKS = new AtomicInteger();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  /** Rules that make the faults: cut links, loss. Replaced as a whole, so heal is one flush. */
  private static final String RULES =
      String.join(
          "\n",
          "table inet gossip {",
          "  chain cut_out {",
          "    type filter hook output priority 0; policy accept;",
          "  }",
          "  chain cut_in {",
          "    type filter hook input priority 0; policy accept;",
          "  }",
          "  chain loss {",
          "    type filter hook output priority 1; policy accept;",
          "  }",
          "}",
          "");

  /** One node's place: its namespace and address. */
  record Host(String namespace, String address) {}

  private final String prefix;
  private final String subnet;
  private final String bridge;
  private final List<Host> hosts = new ArrayList<>();
  private boolean bridgeUp;

  /** Whether the kernel has netem: null until the first delay finds out. */
  private Boolean netem;

  KernelNetwork() {
    int n = NETWORKS.incrementAndGet();
    long pid = ProcessHandle.current().pid();
    // Interface names have 15 characters at most.
    this.prefix = "gk" + Long.toString(pid % 1296, 36) + Integer.toString(n % 36, 36);
    this.subnet = "10.213." + (int) ((pid * 7 + n) % 250 + 1);
    this.bridge = prefix + "br";
  }

  /** Why kernel faults cannot run here, or empty if they can. */
  static Optional<String> unavailable() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.of("kernel faults need Linux network namespaces");
    }
    String probe = "gkprobe" + ProcessHandle.current().pid() % 100000;
    try {
      run("ip", "netns", "add", probe);
    } catch (IllegalStateException e) {
      return Optional.of(
          "kernel faults need root and iproute2 (ip netns add failed: " + e.getMessage() + ")");
    }
    try {
      run(List.of("ip", "netns", "exec", probe, "nft", "-f", "-"), RULES);
      return Optional.empty();
    } catch (IllegalStateException e) {
      return Optional.of(
          "kernel faults need nftables (Debian package nftables): " + e.getMessage());
    } finally {
      run("ip", "netns", "del", probe);
    }
  }

  /** The address of the test's end of the bridge, where the control connections go. */
  String controlAddress() {
    return subnet + ".1";
  }

  /** Makes a namespace for one more node, linked to the bridge, with the fault rules empty. */
  Host addHost() {
    if (!bridgeUp) {
      run("ip", "link", "add", bridge, "type", "bridge");
      bridgeUp = true;
      run("ip", "addr", "add", controlAddress() + "/24", "dev", bridge);
      run("ip", "link", "set", bridge, "up");
    }
    int index = hosts.size();
    Host host = new Host(prefix + "n" + index, subnet + "." + (index + 2));
    String outside = prefix + "v" + index;
    run("ip", "netns", "add", host.namespace());
    hosts.add(host);
    run(
        "ip",
        "link",
        "add",
        outside,
        "type",
        "veth",
        "peer",
        "name",
        "eth0",
        "netns",
        host.namespace());
    run("ip", "link", "set", outside, "master", bridge);
    run("ip", "link", "set", outside, "up");
    in(host, "ip", "addr", "add", host.address() + "/24", "dev", "eth0");
    in(host, "ip", "link", "set", "eth0", "up");
    in(host, "ip", "link", "set", "lo", "up");
    run(List.of("ip", "netns", "exec", host.namespace(), "nft", "-f", "-"), RULES);
    return host;
  }

  /** The command prefix that runs a program in the host's namespace. */
  static List<String> exec(Host host) {
    return List.of("ip", "netns", "exec", host.namespace());
  }

  /** Drops, silently, every packet from {@code from} to {@code to}, at both ends. */
  void block(Host from, Host to) {
    in(
        from,
        "nft",
        "add",
        "rule",
        "inet",
        "gossip",
        "cut_out",
        "ip",
        "daddr",
        to.address(),
        "drop");
    in(to, "nft", "add", "rule", "inet", "gossip", "cut_in", "ip", "saddr", from.address(), "drop");
  }

  /** Removes every cut. */
  void heal() {
    for (Host host : hosts) {
      in(host, "nft", "flush", "chain", "inet", "gossip", "cut_out");
      in(host, "nft", "flush", "chain", "inet", "gossip", "cut_in");
    }
  }

  /** Drops this fraction of the packets the host sends, at random (0 removes the loss). */
  void loss(Host host, double fraction) {
    in(host, "nft", "flush", "chain", "inet", "gossip", "loss");
    long perMillion = Math.round(fraction * 1_000_000);
    if (perMillion > 0) {
      in(
          host,
          "nft",
          "add",
          "rule",
          "inet",
          "gossip",
          "loss",
          "ip",
          "daddr",
          "!=",
          controlAddress(),
          "numgen",
          "random",
          "mod",
          "1000000",
          "<",
          Long.toString(perMillion),
          "drop");
    }
  }

  /**
   * Delays the packets the host sends by {@code delay} plus a uniform {@code 0..jitter} with a
   * netem qdisc on its {@code eth0} (zero removes it), as the link layer's frame delay does.
   * Returns false, having changed nothing, where the kernel has no netem.
   */
  boolean delay(Host host, Duration delay, Duration jitter) {
    if (delay.isZero() && jitter.isZero()) {
      if (Boolean.TRUE.equals(netem)) {
        try {
          in(host, "tc", "qdisc", "del", "dev", "eth0", "root");
        } catch (IllegalStateException e) {
          // No qdisc of ours on this host: nothing to remove.
        }
      }
      return Boolean.TRUE.equals(netem);
    }
    if (Boolean.FALSE.equals(netem)) {
      return false;
    }
    try {
      in(
          host,
          "tc",
          "qdisc",
          "replace",
          "dev",
          "eth0",
          "root",
          "netem",
          "delay",
          // netem's jitter is uniform around the delay: the centre of delay..delay+jitter.
          (delay.toNanos() + jitter.toNanos() / 2) / 1_000 + "us",
          jitter.toNanos() / 2 / 1_000 + "us");
      netem = true;
      return true;
    } catch (IllegalStateException e) {
      // "Specified qdisc kind is unknown" (the kernel), or "Unknown qdisc" (tc without netem).
      if (netem == null && e.getMessage().toLowerCase(Locale.ROOT).contains("unknown")) {
        netem = false;
        return false;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < hosts.size(); i++) {
      // Deleting the veth pair first: sockets of killed nodes still retransmitting into a cut
      // would otherwise keep the namespace, and with it the link, alive for minutes.
      runQuietly("ip", "link", "del", prefix + "v" + i);
      runQuietly("ip", "netns", "del", hosts.get(i).namespace());
    }
    hosts.clear();
    if (bridgeUp) {
      runQuietly("ip", "link", "del", bridge);
      bridgeUp = false;
    }
  }

  private static void in(Host host, String... command) {
    List<String> full = new ArrayList<>(exec(host));
    full.addAll(List.of(command));
    run(full, null);
  }

  private static void run(String... command) {
    run(List.of(command), null);
  }

  private static void runQuietly(String... command) {
    try {
      run(command);
    } catch (IllegalStateException e) {
      // Cleaning up: what is already gone is fine.
    }
  }

  /** Runs a command (with {@code input} on its standard input, if any); fails with its output. */
  private static void run(List<String> command, String input) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (input != null) {
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not end");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed (" + p.exitValue() + "): " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + " could not run: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }
}
