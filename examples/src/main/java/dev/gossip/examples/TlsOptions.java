package dev.gossip.examples;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The TLS flags of the demos that talk across machines. Without {@code --tls-key-store} the links
 * are plain TCP ({@code gossip.tls.enabled = off}), whatever the preset.
 */
public final class TlsOptions {

  @Option(
      names = "--tls-key-store",
      paramLabel = "FILE",
      description =
          "PKCS#12 key store of this node (made as in the Security section of the README): peer"
              + " links then run over mutual TLS. Without it they are plain TCP.")
  Path keyStore;

  @Option(
      names = "--tls-trust-store",
      paramLabel = "FILE",
      description = "PKCS#12 trust store holding the CA certificate (with --tls-key-store).")
  Path trustStore;

  @Option(
      names = "--tls-password",
      paramLabel = "PASSWORD",
      defaultValue = "changeit",
      description = "Password of both stores. Default: ${DEFAULT-VALUE} (gossip-certs.sh's).")
  String password;

  /** Adds the {@code gossip.tls} keys these flags stand for. */
  void addTo(Map<String, Object> keys) {
    keys.put("gossip.tls.enabled", keyStore != null);
    if (keyStore != null) {
      keys.put("gossip.tls.key-store.path", keyStore.toString());
      keys.put("gossip.tls.key-store.password", password);
      keys.put("gossip.tls.trust-store.path", trustStore == null ? "" : trustStore.toString());
      keys.put("gossip.tls.trust-store.password", password);
    }
  }
}
