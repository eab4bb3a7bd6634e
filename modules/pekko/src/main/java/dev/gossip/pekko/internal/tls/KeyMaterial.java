package dev.gossip.pekko.internal.tls;

import dev.gossip.core.InvalidSettingException;
import dev.gossip.pekko.NodeSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Reads a node's key store and trust store (PKCS#12 or PEM) into an SSLContext whose trust manager
 * classifies refusals. Anything wrong with the files is an {@link InvalidSettingException} naming
 * the key to fix.
 */
final class KeyMaterial {

  private static final String KEY = "gossip.tls.key-store.";
  private static final String TRUST = "gossip.tls.trust-store.";
  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PKCS8_END = "-----END PRIVATE KEY-----";
  private static final Map<String, String> PROOF_SIGNATURE =
      Map.of("EC", "SHA256withECDSA", "RSA", "SHA256withRSA", "Ed25519", "Ed25519");

  private KeyMaterial() {}

  /** The files the material is read from, for change polling. */
  static List<Path> files(NodeSettings.Tls tls) {
    List<Path> files = new ArrayList<>();
    if (tls.keyStoreType() == NodeSettings.StoreType.PKCS12) {
      files.add(Path.of(tls.keyStorePath()));
    } else {
      files.add(Path.of(tls.certificateChain()));
      files.add(Path.of(tls.privateKey()));
    }
    files.add(Path.of(tls.trustStorePath()));
    return files;
  }

  static SSLContext load(NodeSettings.Tls tls) {
    char[] keyPassword =
        tls.keyStoreType() == NodeSettings.StoreType.PKCS12
            ? tls.keyStorePassword().toCharArray()
            : new char[0];
    KeyStore keys =
        tls.keyStoreType() == NodeSettings.StoreType.PKCS12
            ? pkcs12(KEY, tls.keyStorePath(), tls.keyStorePassword())
            : pemKeyStore(tls.certificateChain(), tls.privateKey());
    X509Certificate leaf = leaf(keys, tls.keyStoreType());
    if (NodeIdentity.names(leaf).isEmpty()) {
      throw new InvalidSettingException(
          keyPathKey(tls),
          "the certificate "
              + leaf.getSubjectX500Principal()
              + " names no host: it needs a DNS, IP or gossip://host:port subjectAltName");
    }
    KeyStore trusted =
        tls.trustStoreType() == NodeSettings.StoreType.PKCS12
            ? pkcs12(TRUST, tls.trustStorePath(), tls.trustStorePassword())
            : pemTrustStore(tls.trustStorePath());
    try {
      if (Collections.list(trusted.aliases()).stream().noneMatch(a -> isCertificate(trusted, a))) {
        throw new InvalidSettingException(
            TRUST + "path", tls.trustStorePath() + " holds no certificate");
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, keyPassword);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trusted);
      X509ExtendedTrustManager pkix = null;
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          pkix = x;
        }
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          kmf.getKeyManagers(), new TrustManager[] {new ClassifyingTrustManager(pkix)}, null);
      return context;
    } catch (UnrecoverableKeyException e) {
      throw new InvalidSettingException(KEY + "password", "does not open the private key: " + e);
    } catch (GeneralSecurityException e) {
      throw new InvalidSettingException("gossip.tls", "cannot build a TLS context: " + e);
    }
  }

  private static String keyPathKey(NodeSettings.Tls tls) {
    return tls.keyStoreType() == NodeSettings.StoreType.PKCS12
        ? KEY + "path"
        : KEY + "certificate-chain";
  }

  private static boolean isCertificate(KeyStore store, String alias) {
    try {
      return store.getCertificate(alias) != null;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static KeyStore pkcs12(String prefix, String path, String password) {
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return store;
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new InvalidSettingException(prefix + "password", "does not open " + path);
      }
      throw new InvalidSettingException(
          prefix + "path", "cannot read " + path + " as a PKCS#12 store: " + e);
    } catch (GeneralSecurityException e) {
      throw new InvalidSettingException(prefix + "path", "cannot read " + path + ": " + e);
    }
  }

  /** The certificate of the store's private key entry, which must exist. */
  private static X509Certificate leaf(KeyStore keys, NodeSettings.StoreType type) {
    try {
      for (String alias : Collections.list(keys.aliases())) {
        if (keys.isKeyEntry(alias) && keys.getCertificate(alias) instanceof X509Certificate c) {
          return c;
        }
      }
    } catch (GeneralSecurityException e) {
      throw new InvalidSettingException(KEY + "path", "cannot read the key store: " + e);
    }
    throw new InvalidSettingException(
        type == NodeSettings.StoreType.PKCS12 ? KEY + "path" : KEY + "private-key",
        "holds no private key with a certificate");
  }

  private static List<X509Certificate> certificates(String key, String path) {
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new InvalidSettingException(key, path + " holds no PEM certificate");
      }
      return out;
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidSettingException(key, "cannot read " + path + " as PEM certificates: " + e);
    }
  }

  private static KeyStore pemKeyStore(String chainPath, String keyPath) {
    List<X509Certificate> chain = certificates(KEY + "certificate-chain", chainPath);
    PrivateKey key = pemPrivateKey(keyPath, chain.get(0));
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("node", key, new char[0], chain.toArray(new Certificate[0]));
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidSettingException(KEY + "private-key", "cannot use the key: " + e);
    }
  }

  private static PrivateKey pemPrivateKey(String path, X509Certificate certificate) {
    String key = KEY + "private-key";
    String text;
    try {
      text = Files.readString(Path.of(path), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new InvalidSettingException(key, "cannot read " + path + ": " + e);
    }
    int begin = text.indexOf(PKCS8_BEGIN);
    int end = text.indexOf(PKCS8_END);
    if (begin < 0 || end < begin) {
      throw new InvalidSettingException(
          key, path + " holds no unencrypted PKCS#8 key (\"" + PKCS8_BEGIN + "\")");
    }
    String algorithm = certificate.getPublicKey().getAlgorithm();
    try {
      byte[] der =
          Base64.getMimeDecoder().decode(text.substring(begin + PKCS8_BEGIN.length(), end));
      PrivateKey privateKey =
          KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      requireMatch(privateKey, certificate, path);
      return privateKey;
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new InvalidSettingException(
          key, path + " is not a " + algorithm + " key matching the certificate: " + e);
    }
  }

  /** Signs and verifies a probe, so a key of another certificate is refused at start. */
  private static void requireMatch(PrivateKey key, X509Certificate certificate, String path)
      throws GeneralSecurityException {
    String algorithm = PROOF_SIGNATURE.get(key.getAlgorithm());
    if (algorithm == null) {
      return;
    }
    byte[] probe = "gossip".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(probe);
    if (!verifier.verify(signature)) {
      throw new InvalidSettingException(
          KEY + "private-key", path + " is not the key of the certificate's public key");
    }
  }

  private static KeyStore pemTrustStore(String path) {
    List<X509Certificate> cas = certificates(TRUST + "path", path);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidSettingException(TRUST + "path", "cannot use " + path + ": " + e);
    }
  }
}
