package dev.gossip.pekko.internal.tls;

import dev.gossip.pekko.TlsRejection;
import java.security.cert.CertificateException;

/** A peer certificate this node refused, with the reason it is counted under. */
final class RejectedCertificateException extends CertificateException {

  private static final long serialVersionUID = 1L;

  private final transient TlsRejection reason;

  RejectedCertificateException(TlsRejection reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  TlsRejection reason() {
    return reason;
  }
}
