package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/** A hostile or broken peer on a raw loopback socket: it sends whatever bytes a test gives it. */
final class RawPeer implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawPeer(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** A frame as the wire format lays it out, whatever the version, type and body. */
  static byte[] frame(int version, int type, byte[] body) {
    return ByteBuffer.allocate(6 + body.length)
        .putInt(2 + body.length)
        .put((byte) version)
        .put((byte) type)
        .put(body)
        .array();
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * Sends {@code next.apply(i)} for i from 0 below {@code count}, one every {@code interval}, on
   * another thread, until the node closes the connection.
   */
  CompletableFuture<Void> sendPaced(int count, Duration interval, IntFunction<byte[]> next) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            for (int i = 0; i < count; i++) {
              send(next.apply(i));
              Thread.sleep(interval.toMillis());
            }
          } catch (IOException | InterruptedException closed) {
            // the node closed the link, or the test did
          }
        });
  }

  /** Whether the node accepted this connection: it sends its Hello first, at least a prefix. */
  boolean greeted() throws IOException {
    byte[] prefix = new byte[4];
    int read = 0;
    while (read < prefix.length) {
      int n = in.read(prefix, read, prefix.length - read);
      if (n < 0) {
        return false;
      }
      read += n;
    }
    return true;
  }

  /**
   * Reads (and discards) until the node closes the connection (EOF or reset); false if it is still
   * open after the socket timeout.
   */
  boolean closedByNode() throws IOException {
    byte[] buffer = new byte[4096];
    try {
      while (in.read(buffer) >= 0) {
        // The node's Hello and answers come first; keep reading until it closes the link.
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** Sends the bytes and expects the node to close the connection in time. */
  static void assertClosedAfter(int port, byte[] bytes) throws IOException {
    try (RawPeer peer = new RawPeer(port)) {
      peer.send(bytes);
      assertTrue(peer.closedByNode(), "the node kept the link open after a bad frame");
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
