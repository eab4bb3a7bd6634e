package dev.gossip.pekko;

/**
 * Why a TLS peer link was refused; counted by the node that refused it ({@link
 * MetricsSnapshot#tlsRejections(TlsRejection)}). No frame of a refused connection reaches the
 * protocol.
 */
public enum TlsRejection {
  /** No certificate, or one that does not chain to a CA of the trust store (self-signed too). */
  UNTRUSTED,
  /** The certificate, or one of its issuers, is expired or not yet valid. */
  EXPIRED,
  /** The certificate does not name the NodeId the peer announced, or the address dialed. */
  IDENTITY_MISMATCH,
  /** Any other TLS failure: no common protocol or cipher, a peer not speaking TLS, and so on. */
  HANDSHAKE_FAILED
}
