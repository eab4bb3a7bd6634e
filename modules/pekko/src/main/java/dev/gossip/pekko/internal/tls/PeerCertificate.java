package dev.gossip.pekko.internal.tls;

import dev.gossip.core.NodeId;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The certificate one connection's peer presented, kept when its TLS session is verified (before
 * any of its bytes are read) so that the peer's Hello can be checked against it.
 */
public final class PeerCertificate {

  private volatile X509Certificate leaf;

  /** Keeps the peer's certificate; without one, the failure that ends the connection. */
  Optional<Throwable> verify(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      leaf = (X509Certificate) chain[0];
      return Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.of(e);
    }
  }

  /**
   * Why the peer may not be {@code announced} (and, when this side dialed, answer at {@code
   * dialed}), or null if its certificate names both.
   */
  public String mismatch(NodeId announced, NodeId dialed) {
    X509Certificate certificate = leaf;
    if (certificate == null) {
      return "no verified certificate";
    }
    String wrong = NodeIdentity.mismatch(certificate, announced.host(), announced.port());
    if (wrong == null && dialed != null) {
      wrong = NodeIdentity.mismatch(certificate, dialed.host(), dialed.port());
    }
    return wrong == null ? null : announced + " announced, but " + wrong;
  }
}
