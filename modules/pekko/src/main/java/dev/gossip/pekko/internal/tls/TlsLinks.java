package dev.gossip.pekko.internal.tls;

import dev.gossip.pekko.TlsRejection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.TLSClosing;
import org.apache.pekko.stream.TLSProtocol;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.TLS;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

/**
 * Pekko Streams TLS around a node's TCP connections: each gets an engine from the current {@link
 * TlsContext}, and its peer's verified certificate is kept in a {@link PeerCertificate} for the
 * Hello check. Closing one direction closes the TLS session (the link manager closes a link by
 * completing its outbound side).
 */
public final class TlsLinks {

  /** The JDK's refusal of a client that sent no certificate (client auth is required). */
  private static final String NO_CLIENT_CERTIFICATE = "Empty client certificate chain";

  private static final String RECEIVED_ALERT = "Received fatal alert";

  private final TlsContext context;

  public TlsLinks(TlsContext context) {
    this.context = context;
  }

  /** A TLS connection to {@code to}, as the client. */
  public Flow<ByteString, ByteString, NotUsed> dial(
      Tcp tcp, InetSocketAddress to, Duration connectTimeout, PeerCertificate peer) {
    return tcp.outgoingConnectionWithTls(
            to,
            () -> context.engine(true, to.getHostString(), to.getPort()),
            Optional.empty(),
            List.of(),
            Optional.of(connectTimeout),
            Optional.empty(),
            peer::verify,
            TLSClosing.eagerClose())
        .mapMaterializedValue(m -> NotUsed.getInstance());
  }

  /**
   * An accepted TCP connection under TLS, as the server. Not {@code Tcp.bindWithTls}: its session
   * check is one function for all connections, and the Hello check needs each connection's own
   * certificate.
   */
  public Flow<ByteString, ByteString, NotUsed> accept(
      Flow<ByteString, ByteString, NotUsed> connection, PeerCertificate peer) {
    BidiFlow<ByteString, TLSProtocol.SslTlsOutbound, TLSProtocol.SslTlsInbound, ByteString, NotUsed>
        plain =
            BidiFlow.fromFlows(
                Flow.<ByteString>create()
                    .map(bytes -> (TLSProtocol.SslTlsOutbound) new TLSProtocol.SendBytes(bytes)),
                Flow.<TLSProtocol.SslTlsInbound>create()
                    .filter(in -> in instanceof TLSProtocol.SessionBytes)
                    .map(in -> ((TLSProtocol.SessionBytes) in).bytes()));
    return plain
        .atop(
            TLS.create(
                () -> context.engine(false, null, -1),
                session ->
                    peer.verify(session)
                        .ifPresent(
                            e -> {
                              throw new IllegalStateException(e);
                            }),
                TLSClosing.eagerClose()))
        .join(connection);
  }

  /**
   * The reason this side refused a connection that failed before its Hello, or empty if the failure
   * is not a refusal of ours (no TLS error, or the peer refused us).
   */
  public static Optional<TlsRejection> rejection(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RejectedCertificateException r) {
        return Optional.of(r.reason());
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        String message = String.valueOf(t.getMessage());
        if (message.startsWith(RECEIVED_ALERT)) {
          return Optional.empty();
        }
        return Optional.of(
            message.contains(NO_CLIENT_CERTIFICATE)
                ? TlsRejection.UNTRUSTED
                : TlsRejection.HANDSHAKE_FAILED);
      }
    }
    return Optional.empty();
  }
}
