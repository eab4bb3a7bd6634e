package dev.gossip.bench.cluster;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.PhysicalAddress;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.protocols.BasicTCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TP;
import org.jgroups.util.Util;

/**
 * JGroups channels built from the stock {@code tcp.xml} of the JGroups jar, one per node, with only
 * what running many of them on loopback in one JVM needs changed (see {@link #loopback}). A
 * broadcast is {@code channel.send(null, payload)}, which JGroups also delivers to the sender.
 * There is no wire figure: JGroups counts no bytes written to its connections (the transport's
 * message statistics, off by default, add a message's payload length once per send, not the bytes
 * written to each member).
 */
public final class JGroupsCluster implements BenchCluster {

  static final String CLUSTER = "bench";

  private final List<JChannel> channels = new ArrayList<>();
  private final Map<Integer, Exception> joinFailures = new ConcurrentHashMap<>();
  private final List<Thread> kills = new ArrayList<>();
  private boolean[] alive;
  private volatile Tracker tracker;

  @Override
  public String name() {
    return "jgroups";
  }

  /**
   * The stock stack's changes: the transport binds 127.0.0.1 on an ephemeral port (stock: the first
   * of eth2, eth0, a site-local or the loopback address, on port 7800 and the 10 after it, too few
   * ports for 32 nodes), TCP_NODELAY is on (stock: the {@code tcp-nodelay} property, default
   * false), and TCPPING probes exactly the given contact port (stock: {@code port_range} 2, which
   * on ephemeral ports would probe unrelated sockets). {@code initial_hosts} is set in {@link
   * #join} once the contact's port is known.
   */
  private static JChannel loopback(JChannel channel) {
    TP transport = channel.getProtocolStack().getTransport();
    transport.setBindAddress(InetAddress.getLoopbackAddress());
    transport.setBindPort(0);
    ((BasicTCP) transport).tcpNodelay(true);
    TCPPING ping = channel.getProtocolStack().findProtocol(TCPPING.class);
    ping.setPortRange(0);
    return channel;
  }

  @Override
  public void start(int n) throws Exception {
    alive = new boolean[n];
    for (int i = 0; i < n; i++) {
      JChannel channel = loopback(new JChannel("tcp.xml"));
      int node = i;
      channel.setReceiver(
          new Receiver() {
            @Override
            public void receive(Message msg) {
              Tracker t = tracker;
              if (t != null) {
                t.delivered(node, payload(msg));
              }
            }
          });
      channels.add(channel);
      alive[i] = true;
    }
  }

  private static byte[] payload(Message msg) {
    byte[] array = msg.getArray();
    return msg.getOffset() == 0 && msg.getLength() == array.length
        ? array
        : Arrays.copyOfRange(array, msg.getOffset(), msg.getOffset() + msg.getLength());
  }

  /**
   * Node 0 creates the cluster (its discovery waits GMS's {@code join_timeout}, 2 s, for anyone
   * else before it becomes the coordinator); the others then connect one after another on a
   * background thread, as {@code connect} blocks until the node is in the view. Connecting them all
   * at once left some of them on their own under load (a discovery unanswered within {@code
   * join_timeout} makes a node a cluster of one), and MERGE3 had not merged them a minute later.
   */
  @Override
  public void join() throws Exception {
    JChannel first = channels.get(0);
    first.connect(CLUSTER);
    PhysicalAddress contact = first.getProtocolStack().getTransport().localPhysicalAddress();
    Thread joiners =
        new Thread(
            () -> {
              for (int i = 1; i < channels.size(); i++) {
                JChannel channel = channels.get(i);
                TCPPING ping = channel.getProtocolStack().findProtocol(TCPPING.class);
                ping.setInitialHosts2(List.of(contact));
                try {
                  channel.connect(CLUSTER);
                } catch (Exception e) {
                  joinFailures.put(i, e);
                }
              }
            },
            "jgroups-joiners");
    joiners.setDaemon(true);
    joiners.start();
  }

  @Override
  public boolean viewsFull() {
    return channels.stream().allMatch(c -> viewSize(c) == channels.size());
  }

  private static int viewSize(JChannel channel) {
    View v = channel.getView();
    return v == null ? 0 : v.size();
  }

  @Override
  public String viewSummary() {
    StringBuilder b =
        new StringBuilder(
            BenchCluster.viewSizes(
                "view sizes as seen by each node", alive, i -> viewSize(channels.get(i))));
    joinFailures.forEach((node, e) -> b.append("; node ").append(node).append(": ").append(e));
    return b.toString();
  }

  @Override
  public void track(Tracker tracker) {
    this.tracker = tracker;
  }

  @Override
  public void broadcast(int node, byte[] payload) {
    try {
      channels.get(node).send(null, payload);
    } catch (Exception e) {
      throw new IllegalStateException("node " + node + " could not send", e);
    }
  }

  /**
   * {@link Util#shutdown(JChannel, boolean)} without a graceful close, on its own thread so that
   * the kill does not wait for it, as an ActorSystem's {@code terminate()} does not: it drops every
   * message in and out, resets the TCP connections, installs a view of the node alone (so that the
   * close sends no leave to the others) and closes the channel. The others see their connections
   * and the FD_SOCK2 socket close, as when the process dies, and exclude it through failure
   * detection.
   */
  @Override
  public void kill(int node) {
    alive[node] = false;
    JChannel channel = channels.get(node);
    Thread shutdown =
        new Thread(
            () -> {
              try {
                Util.shutdown(channel, false);
              } catch (Exception e) {
                System.err.println("jgroups node " + node + ": no crash (" + e + "), closing it");
                channel.close();
              }
            },
            "jgroups-kill-" + node);
    shutdown.setDaemon(true);
    shutdown.start();
    kills.add(shutdown);
  }

  @Override
  public void close() {
    for (Thread kill : kills) {
      try {
        kill.join(20_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    for (int i = channels.size() - 1; i >= 0; i--) {
      if (alive[i]) {
        channels.get(i).close();
      }
    }
  }
}
