package dev.gossip.pekko;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key material made by {@code scripts/gossip-certs.sh} (the commands the README documents) with
 * this JVM's keytool, in a test's temporary directory.
 */
final class Certs {

  static final String PASSWORD = "changeit";

  /** The module's script; the Akka build, run from its own directory, names it. */
  private static final Path SCRIPT =
      Path.of(System.getProperty("gossip.certs-script", "scripts/gossip-certs.sh"))
          .toAbsolutePath();

  private static final String KEYTOOL = System.getProperty("java.home") + "/bin/keytool";

  final Path dir;

  Certs(Path dir) {
    this.dir = dir;
  }

  /** Runs the script with these arguments after DIR; several commands run two at a time. */
  void run(List<List<String>> commands) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (List<String> args : commands) {
        runs.add(
            pool.submit(
                () -> {
                  script(args);
                  return null;
                }));
      }
      for (Future<?> run : runs) {
        run.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  void script(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), dir.toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KEYTOOL", KEYTOOL);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException("gossip-certs.sh " + args + " failed:\n" + output);
    }
  }

  static List<String> ca(String name) {
    return List.of("ca", name);
  }

  static List<String> node(String name, String ca, String san, String... startDateAndDays) {
    List<String> args = new ArrayList<>(List.of("node", name, ca, san));
    args.addAll(List.of(startDateAndDays));
    return args;
  }

  static List<String> selfSigned(String name, String san) {
    return List.of("self-signed", name, san);
  }

  Path keyStore(String name) {
    return dir.resolve(name + ".p12");
  }

  Path trustStore(String ca) {
    return dir.resolve(ca + "-trust.p12");
  }

  /** The {@code gossip.tls} keys of a node with this key store, trusting this CA. */
  String config(String name, String ca) {
    return config(keyStore(name), trustStore(ca));
  }

  static String config(Path keyStore, Path trustStore) {
    return "gossip.tls { enabled = on\n"
        + "key-store { path = \""
        + keyStore
        + "\", password = "
        + PASSWORD
        + " }\ntrust-store { path = \""
        + trustStore
        + "\", password = "
        + PASSWORD
        + " } }";
  }

  /** Writes the node's private key as unencrypted PKCS#8 PEM (keytool cannot export keys). */
  Path privateKeyPem(String name) throws Exception {
    Key key = load(keyStore(name)).getKey("node", PASSWORD.toCharArray());
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Path file = dir.resolve(name + "-key.pem");
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
    return file;
  }

  static KeyStore load(Path p12) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  /** The serial number of the certificate in the key store. */
  static BigInteger serial(Path p12) throws Exception {
    return ((X509Certificate) load(p12).getCertificate("node")).getSerialNumber();
  }

  /**
   * Opens a TLS connection to a node with a plain JDK socket, as the client {@code keyStore}, and
   * returns the serial number of the certificate the node presented.
   */
  static BigInteger presentedSerial(String host, int port, Path keyStore, Path trustStore)
      throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(keyStore), PASSWORD.toCharArray());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(load(trustStore));
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port)) {
      socket.setEnabledProtocols(new String[] {"TLSv1.3"});
      socket.setSoTimeout(30_000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }
}
