package dev.gossip.pekko.internal.tls;

import dev.gossip.pekko.TlsRejection;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX trust manager, whose refusals are told apart: a chain with a certificate outside
 * its validity period is {@link TlsRejection#EXPIRED}, any other refusal {@link
 * TlsRejection#UNTRUSTED}. The refusal travels to the link manager as the cause of the handshake
 * failure.
 */
final class ClassifyingTrustManager extends X509ExtendedTrustManager {

  private final X509ExtendedTrustManager delegate;

  ClassifyingTrustManager(X509ExtendedTrustManager delegate) {
    this.delegate = delegate;
  }

  /** A checked call of the delegate. */
  private interface Check {
    void run() throws CertificateException;
  }

  private static void classified(X509Certificate[] chain, Check check) throws CertificateException {
    try {
      check.run();
    } catch (CertificateException e) {
      throw new RejectedCertificateException(reason(chain), e.getMessage(), e);
    }
  }

  private static TlsRejection reason(X509Certificate[] chain) {
    for (X509Certificate certificate : chain) {
      try {
        certificate.checkValidity();
      } catch (CertificateException outOfValidity) {
        return TlsRejection.EXPIRED;
      }
    }
    return TlsRejection.UNTRUSTED;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    classified(chain, () -> delegate.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    classified(chain, () -> delegate.checkServerTrusted(chain, authType, engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    classified(chain, () -> delegate.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    classified(chain, () -> delegate.checkServerTrusted(chain, authType, socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    classified(chain, () -> delegate.checkClientTrusted(chain, authType));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    classified(chain, () -> delegate.checkServerTrusted(chain, authType));
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
