package dev.gossip.examples.localcluster;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;

/**
 * A TCP relay in front of one node, so the demo can split the cluster without touching the
 * operating system's firewall: the node listens on an inner address and advertises the relay's.
 * Every connection to the node therefore passes one relay; the relay learns which node dialed from
 * the dialer's Hello (the first frame of every link, documented in gossip-pekko's README: a CBOR
 * node id with its advertised port) and cuts or refuses the connection while {@code blocked} says
 * the dialer is on the other side.
 */
final class PartitionProxy implements AutoCloseable {

  /** The CBOR text "port": the key of the advertised port in a Hello's node id. */
  private static final byte[] PORT_KEY = {0x64, 'p', 'o', 'r', 't'};

  private static final int MAX_HELLO = 4096;

  private final ServerSocket server;
  private final InetSocketAddress node;
  private final IntPredicate blocked;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** A relayed connection and the advertised port of the node that dialed it. */
  private record Link(Socket client, Socket upstream, int dialerPort) {
    void close() {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  /**
   * @param listen the address the node advertises
   * @param node where the node really listens
   * @param blocked given a dialer's advertised port, whether its links must be cut now
   */
  PartitionProxy(InetSocketAddress listen, InetSocketAddress node, IntPredicate blocked)
      throws IOException {
    this.server = new ServerSocket();
    server.bind(listen);
    this.node = node;
    this.blocked = blocked;
    Thread acceptor = new Thread(this::acceptLoop, "proxy-" + listen.getPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Closes every open link whose dialer is now blocked; later ones are refused on arrival. */
  void enforce() {
    for (Link link : links) {
      if (blocked.test(link.dialerPort())) {
        links.remove(link);
        link.close();
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> relay(client), "relay-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void relay(Socket client) {
    try {
      client.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(client.getInputStream());
      int length = in.readInt();
      if (length <= 0 || length > MAX_HELLO) {
        closeQuietly(client);
        return;
      }
      byte[] hello = new byte[length];
      in.readFully(hello);
      int dialerPort = advertisedPort(hello);
      if (dialerPort < 0 || blocked.test(dialerPort) || closed) {
        closeQuietly(client);
        return;
      }
      Socket upstream = new Socket();
      upstream.setTcpNoDelay(true);
      upstream.connect(node, 2_000);
      Link link = new Link(client, upstream, dialerPort);
      links.add(link);
      OutputStream up = upstream.getOutputStream();
      up.write(ByteBuffer.allocate(Integer.BYTES).putInt(length).array());
      up.write(hello);
      up.flush();
      Thread back =
          new Thread(() -> pump(link, upstream, client), "relay-back-" + server.getLocalPort());
      back.setDaemon(true);
      back.start();
      pump(link, client, upstream);
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private void pump(Link link, Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The other direction or enforce() closed the link.
    } finally {
      links.remove(link);
      link.close();
    }
  }

  /** The port that follows the "port" key in a Hello, or -1 if there is none. */
  static int advertisedPort(byte[] hello) {
    outer:
    for (int i = 0; i + PORT_KEY.length < hello.length; i++) {
      for (int k = 0; k < PORT_KEY.length; k++) {
        if (hello[i + k] != PORT_KEY[k]) {
          continue outer;
        }
      }
      int at = i + PORT_KEY.length;
      int head = hello[at] & 0xff;
      if (head <= 0x17) {
        return head;
      } else if (head == 0x18 && at + 1 < hello.length) {
        return hello[at + 1] & 0xff;
      } else if (head == 0x19 && at + 2 < hello.length) {
        return ((hello[at + 1] & 0xff) << 8) | (hello[at + 2] & 0xff);
      }
      return -1;
    }
    return -1;
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    for (Link link : links) {
      link.close();
    }
    links.clear();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Already closed.
    }
  }
}
