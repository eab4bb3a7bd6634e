package dev.gossip.examples.networktest;

import dev.gossip.core.NodeId;
import dev.gossip.examples.Nodes;
import dev.gossip.examples.TlsOptions;
import dev.gossip.examples.Verbosity;
import dev.gossip.examples.networktest.Probe.Kind;
import dev.gossip.pekko.Gossip;
import dev.gossip.pekko.GossipEvent;
import dev.gossip.pekko.NodeSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A first check of a deployment across two hosts: run it without PEER on one host (it serves) and
 * with that host's address on the other (it probes). The prober checks that TCP reaches the server,
 * joins it, has the server dial back, then measures round trips and throughput through the overlay.
 */
@Command(
    name = "network-test",
    mixinStandardHelpOptions = true,
    description = {
      "Checks that two hosts can form a gossip overlay and measures RTT and throughput between"
          + " them.",
      "On host A:   network-test --host 0.0.0.0 --advertise A",
      "On host B:   network-test --host 0.0.0.0 --advertise B A:7355",
      "The prober (B) checks TCP to A, joins A, has A dial back to B (gossip needs both"
          + " directions), then times --count round trips and --messages broadcasts of --size"
          + " bytes. Exit status 0 when every check passed."
    })
public final class NetworkTestCommand implements Callable<Integer> {

  private static final long STEP_TIMEOUT_SECONDS = 30;

  /** Events buffered for this demo's subscriber: a whole throughput burst must fit. */
  private static final int EVENT_BUFFER = 65_536;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PEER",
      description =
          "HOST:PORT (or PORT on 127.0.0.1) of a network-test serving on the other host. Without"
              + " it, this one serves.")
  String peer;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "Address to listen on; 0.0.0.0 for every interface. Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT",
      description = "Port to listen on; 0 picks a free one. Default: 7355 serving, 0 probing.")
  Integer port;

  @Option(
      names = "--advertise",
      paramLabel = "HOST",
      description =
          "Address the other host reaches this one at (needed with --host 0.0.0.0). Default: the"
              + " --host value.")
  String advertise;

  @Option(
      names = "--preset",
      paramLabel = "PRESET",
      defaultValue = "lan",
      description = "Timing preset: lan, wan or local. Default: ${DEFAULT-VALUE}.")
  String preset;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "20",
      description = "Round trips to time (probing). Default: ${DEFAULT-VALUE}.")
  int count;

  @Option(
      names = "--messages",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Broadcasts sent for the throughput test (probing). Default: ${DEFAULT-VALUE}.")
  int messages;

  @Option(
      names = "--size",
      paramLabel = "BYTES",
      defaultValue = "1024",
      description = "Payload size for the throughput test (probing). Default: ${DEFAULT-VALUE}.")
  int size;

  @Option(
      names = "--once",
      description = "Serving: exit once one prober has had its throughput report and has left.")
  boolean once;

  @Mixin Verbosity verbosity;

  @Mixin TlsOptions tls;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    verbosity.apply();
    PrintWriter out = spec.commandLine().getOut();
    int listen = port != null ? port : peer == null ? 7355 : 0;
    try (Nodes.Node node =
        Nodes.start(
            "network-test",
            Nodes.config(preset, host, listen, advertise, tls, verbosity.verbose()))) {
      return peer == null ? serve(node, out) : probe(node, Nodes.contact(peer), out);
    }
  }

  /** Answers probes until interrupted (or after one, with --once). */
  private int serve(Nodes.Node node, PrintWriter out) throws Exception {
    Gossip gossip = node.gossip();
    NodeSettings settings = NodeSettings.load(node.system().settings().config());
    CompletableFuture<Void> served = new CompletableFuture<>();
    Map<NodeId, long[]> bulk = new ConcurrentHashMap<>();
    Set<NodeId> reported = ConcurrentHashMap.newKeySet();
    gossip
        .events(EVENT_BUFFER)
        .runForeach(
            e -> {
              if (e instanceof GossipEvent.Missed missed) {
                out.println("WARN  this side fell behind and missed " + missed.count() + " events");
                out.flush();
              }
              if (e instanceof GossipEvent.NeighborDown down && reported.contains(down.peer())) {
                // With --once: exit when the prober has its report and leaves, not before, or
                // the report could die with this process.
                served.complete(null);
              }
              if (!(e instanceof GossipEvent.Delivery d) || d.origin().equals(gossip.self())) {
                return;
              }
              Probe p = Probe.decode(d.payload());
              switch (p.kind()) {
                case HELLO -> {
                  out.println("probe from " + p.text() + "; dialing back");
                  out.flush();
                  dialBack(node, settings, p.text())
                      .whenComplete(
                          (ok, error) ->
                              gossip.broadcast(
                                  Probe.of(
                                          Kind.REVERSE,
                                          0,
                                          0,
                                          0,
                                          error == null ? "ok" : String.valueOf(rootCause(error)))
                                      .encode()));
                }
                case PING -> gossip.broadcast(Probe.of(Kind.PONG, p.seq(), 0, 0, "").encode());
                case BULK -> {
                  long[] s =
                      bulk.computeIfAbsent(d.origin(), o -> new long[] {0, 0, System.nanoTime()});
                  synchronized (s) {
                    s[0]++;
                    s[1] += d.payload().length;
                    if (s[0] == p.a()) {
                      long nanos = System.nanoTime() - s[2];
                      bulk.remove(d.origin());
                      gossip.broadcast(Probe.of(Kind.REPORT, nanos, s[0], s[1], "").encode());
                      out.printf(Locale.ROOT, "served %s: %d messages received%n", p.text(), s[0]);
                      out.flush();
                      if (once) {
                        reported.add(d.origin());
                      }
                    }
                  }
                }
                default -> {}
              }
            },
            node.system());
    gossip.join(List.of()).toCompletableFuture().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    out.println(
        "serving on "
            + node.address()
            + "; on the other host run:  network-test --advertise <its address> "
            + node.address());
    out.flush();
    served.get();
    return 0;
  }

  /** A second, short-lived node here joins the prober directly: the server-to-prober direction. */
  private static CompletableFuture<Void> dialBack(
      Nodes.Node node, NodeSettings settings, String proberAddress) {
    return Gossip.start(node.system(), settings.withPort(0).withContacts(List.of()))
        .thenCompose(
            temp ->
                temp.join(List.of(proberAddress))
                    .whenComplete((done, error) -> temp.leave())
                    .thenApply(done -> (Void) null))
        .toCompletableFuture();
  }

  private int probe(Nodes.Node node, String contact, PrintWriter out) throws Exception {
    Gossip gossip = node.gossip();
    NodeId target = NodeSettings.parseContact(contact);
    out.println("network-test from " + node.address() + " to " + contact);
    out.flush();

    long t0 = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(target.host(), target.port()), 5_000);
    } catch (IOException e) {
      out.println(
          "FAIL  tcp connect to "
              + contact
              + ": "
              + e.getMessage()
              + " (is network-test serving there, on an address this host can reach, and"
              + " is the port open in its firewall?)");
      return 1;
    }
    out.printf(Locale.ROOT, "ok    tcp connect to %s in %.1f ms%n", contact, ms(t0));
    out.flush();

    Map<Long, CompletableFuture<Probe>> waiting = new ConcurrentHashMap<>();
    CompletableFuture<NodeId> neighbor = new CompletableFuture<>();
    CompletableFuture<Probe> reverse = new CompletableFuture<>();
    CompletableFuture<Probe> report = new CompletableFuture<>();
    gossip
        .events(EVENT_BUFFER)
        .runForeach(
            e -> {
              if (e instanceof GossipEvent.Missed missed) {
                out.println("WARN  this side fell behind and missed " + missed.count() + " events");
                out.flush();
              }
              if (e instanceof GossipEvent.NeighborUp up) {
                neighbor.complete(up.peer());
              }
              if (!(e instanceof GossipEvent.Delivery d) || d.origin().equals(gossip.self())) {
                return;
              }
              Probe p = Probe.decode(d.payload());
              switch (p.kind()) {
                case REVERSE -> reverse.complete(p);
                case PONG -> {
                  CompletableFuture<Probe> f = waiting.remove(p.seq());
                  if (f != null) {
                    f.complete(p);
                  }
                }
                case REPORT -> report.complete(p);
                default -> {}
              }
            },
            node.system());

    t0 = System.nanoTime();
    // A failed first round is not the end: the node keeps re-joining with backoff, so wait for
    // the first neighbour instead.
    gossip
        .join(List.of(contact))
        .whenComplete(
            (done, error) -> {
              if (error != null) {
                out.println("..    " + rootCause(error).getMessage());
                out.flush();
              }
            });
    try {
      neighbor.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      out.println(
          "FAIL  join "
              + contact
              + ": no neighbour after "
              + STEP_TIMEOUT_SECONDS
              + " s (is the address right, and does it answer the gossip handshake?)");
      return 1;
    }
    out.printf(Locale.ROOT, "ok    joined %s (handshake and Join) in %.1f ms%n", contact, ms(t0));
    out.flush();

    t0 = System.nanoTime();
    gossip.broadcast(Probe.of(Kind.HELLO, 0, 0, 0, node.address()).encode());
    Probe back;
    try {
      back = reverse.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      out.println("FAIL  no answer from " + contact + " to the dial-back request");
      return 1;
    }
    if (!back.text().equals("ok")) {
      out.println(
          "FAIL  "
              + contact
              + " cannot dial back to "
              + node.address()
              + ": "
              + back.text()
              + " (set --advertise to an address it can reach; open the port)");
      return 1;
    }
    out.printf(
        Locale.ROOT, "ok    %s dialed back to %s in %.1f ms%n", contact, node.address(), ms(t0));
    out.flush();

    Histogram rtt = new Histogram(3_600_000_000L, 3);
    for (long seq = 0; seq < count; seq++) {
      CompletableFuture<Probe> pong = new CompletableFuture<>();
      waiting.put(seq, pong);
      long sent = System.nanoTime();
      gossip.broadcast(Probe.of(Kind.PING, seq, 0, 0, "").encode());
      pong.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      rtt.recordValue((System.nanoTime() - sent) / 1_000);
    }
    out.printf(
        Locale.ROOT,
        "ok    rtt over %d broadcast round trips: min %.2f  p50 %.2f  p99 %.2f  max %.2f ms%n",
        count,
        rtt.getMinValue() / 1000.0,
        rtt.getValueAtPercentile(50) / 1000.0,
        rtt.getValueAtPercentile(99) / 1000.0,
        rtt.getMaxValue() / 1000.0);
    out.flush();

    int padding = Math.max(0, size - Probe.of(Kind.BULK, 0, 0, 0, node.address()).encode().length);
    AtomicLong refused = new AtomicLong();
    t0 = System.nanoTime();
    for (long seq = 0; seq < messages; seq++) {
      byte[] payload = new Probe(Kind.BULK, seq, messages, 0, node.address(), padding).encode();
      gossip
          .broadcast(payload)
          .whenComplete((id, error) -> refused.addAndGet(error == null ? 0 : 1));
    }
    Probe r;
    try {
      r = report.get(STEP_TIMEOUT_SECONDS + messages / 100, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      out.println("FAIL  " + contact + " did not report receiving all " + messages + " messages");
      return 1;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    out.printf(
        Locale.ROOT,
        "ok    throughput: %d messages of %d bytes in %.2f s: %.0f msg/s, %.2f MB/s (payload,"
            + " until the server's report came back)%n",
        r.a(),
        size,
        seconds,
        r.a() / seconds,
        r.b() / seconds / 1e6);
    out.flush();
    return refused.get() == 0 ? 0 : 1;
  }

  private static double ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable c = e;
    while ((c instanceof ExecutionException
            || c instanceof java.util.concurrent.CompletionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
