package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.gossip.core.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every invalid {@code gossip.tls} setting fails the start with the key to fix. */
class TlsSettingsTest {

  @TempDir static Path dir;
  private static Certs certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = new Certs(dir);
    certs.script(Certs.ca("ca"));
    certs.run(
        List.of(Certs.node("n1", "ca", "ip:127.0.0.51"), Certs.node("n2", "ca", "ip:127.0.0.52")));
  }

  private static NodeSettings load(String config) {
    return NodeSettings.load(
        ConfigFactory.parseString(config).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  /** The key named by the error that starting a node with {@code config} raises. */
  private static String rejectedKey(String config) {
    InvalidSettingException e =
        assertThrows(InvalidSettingException.class, () -> GossipNode.create(load(config)));
    return e.key();
  }

  private static String valid() {
    return certs.config("n1", "ca");
  }

  private static String pem(Path chain, Path key) {
    return "gossip.tls.key-store { type = PEM, certificate-chain = \""
        + chain
        + "\", private-key = \""
        + key
        + "\" }\n";
  }

  @Test
  void structuralMistakesAreRefusedWhenLoading() {
    assertEquals(
        "gossip.tls.key-store.type", rejectedKey("gossip.tls.key-store.type = JKS\n" + valid()));
    assertEquals(
        "gossip.tls.key-store.certificate-chain",
        rejectedKey("gossip.tls.key-store.type = PEM\n" + valid()));
    assertEquals(
        "gossip.tls.key-store.private-key",
        rejectedKey(
            valid()
                + "\ngossip.tls.key-store { type = PEM, certificate-chain = \""
                + dir.resolve("n1-chain.pem")
                + "\" }"));
    assertEquals(
        "gossip.tls.trust-store.path",
        rejectedKey(valid() + "\ngossip.tls.trust-store.path = \"\""));
    assertEquals(
        "gossip.tls.trust-store.type",
        rejectedKey(valid() + "\ngossip.tls.trust-store.type = JKS"));
    assertEquals("gossip.tls.protocols", rejectedKey(valid() + "\ngossip.tls.protocols = []"));
    assertEquals("gossip.tls.protocols", rejectedKey(valid() + "\ngossip.tls.protocols = [TLSv9]"));
    assertEquals(
        "gossip.tls.cipher-suites", rejectedKey(valid() + "\ngossip.tls.cipher-suites = [NOPE]"));
    assertEquals(
        "gossip.tls.reload-interval", rejectedKey(valid() + "\ngossip.tls.reload-interval = -1s"));
    assertEquals("gossip.tls.enabled", rejectedKey(valid() + "\ngossip.tls.enabled = maybe"));
  }

  @Test
  void unusableKeyMaterialIsRefusedAtStart() throws Exception {
    assertEquals(
        "gossip.tls.key-store.path",
        rejectedKey(valid() + "\ngossip.tls.key-store.path = \"" + dir.resolve("none.p12") + "\""));
    assertEquals(
        "gossip.tls.key-store.password",
        rejectedKey(valid() + "\ngossip.tls.key-store.password = wrong"));
    assertEquals(
        "gossip.tls.trust-store.password",
        rejectedKey(valid() + "\ngossip.tls.trust-store.password = wrong"));
    // A store of trusted certificates only: no private key.
    assertEquals(
        "gossip.tls.key-store.path",
        rejectedKey(valid() + "\ngossip.tls.key-store.path = \"" + certs.trustStore("ca") + "\""));
    // The CA's own key pair: its certificate names no host.
    InvalidSettingException noHost =
        assertThrows(
            InvalidSettingException.class,
            () ->
                GossipNode.create(
                    load(Certs.config(certs.keyStore("ca"), certs.trustStore("ca")))));
    assertEquals("gossip.tls.key-store.path", noHost.key());
    assertTrue(noHost.getMessage().contains("subjectAltName"), noHost.getMessage());
    // A PEM file is not a PKCS#12 trust store.
    assertEquals(
        "gossip.tls.trust-store.path",
        rejectedKey(valid() + "\ngossip.tls.trust-store.path = \"" + dir.resolve("ca.pem") + "\""));
    Path empty = Files.writeString(dir.resolve("empty.pem"), "no certificates here\n");
    assertEquals(
        "gossip.tls.trust-store.path",
        rejectedKey(valid() + "\ngossip.tls.trust-store { type = PEM, path = \"" + empty + "\" }"));
  }

  @Test
  void pemKeyMaterialMustBeAnUnencryptedKeyOfTheCertificate() throws Exception {
    Path chain = dir.resolve("n1-chain.pem");
    Path key = certs.privateKeyPem("n1");
    Path otherKey = certs.privateKeyPem("n2");
    String trustPem =
        "gossip.tls.trust-store { type = PEM, path = \"" + dir.resolve("ca.pem") + "\" }";
    GossipNode.create(load(valid() + "\n" + pem(chain, key) + trustPem));
    assertEquals(
        "gossip.tls.key-store.private-key", rejectedKey(valid() + "\n" + pem(chain, otherKey)));
    assertEquals(
        "gossip.tls.key-store.private-key", rejectedKey(valid() + "\n" + pem(chain, chain)));
    assertEquals(
        "gossip.tls.key-store.certificate-chain", rejectedKey(valid() + "\n" + pem(key, key)));
  }
}
