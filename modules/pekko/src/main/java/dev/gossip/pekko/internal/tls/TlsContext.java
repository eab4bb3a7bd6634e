package dev.gossip.pekko.internal.tls;

import dev.gossip.core.InvalidSettingException;
import dev.gossip.pekko.NodeSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * A node's current TLS key material. Every connection gets a fresh SSLEngine from the context in
 * use when it opens, so a reload (on command, or when the files change) swaps the context for new
 * connections and leaves open ones as they are. Thread-safe: engines are made on stream threads,
 * reloads come from the node actor.
 */
public final class TlsContext {

  private final NodeSettings.Tls settings;
  private final List<Path> files;
  private volatile SSLContext current;

  /** Modification time and size of each file when it was last read. */
  private List<String> stamps;

  private TlsContext(NodeSettings.Tls settings) {
    this.settings = settings;
    this.files = KeyMaterial.files(settings);
    this.stamps = stamps();
    this.current = KeyMaterial.load(settings);
  }

  /**
   * Reads the key material.
   *
   * @throws InvalidSettingException if a file is missing, unreadable, has a wrong password or holds
   *     no usable key
   */
  public static TlsContext open(NodeSettings.Tls settings) {
    return new TlsContext(settings);
  }

  /**
   * Reads the files again and uses them for new connections.
   *
   * @throws InvalidSettingException if the new material is unusable; the old one stays in use
   */
  public synchronized void reload() {
    stamps = stamps();
    current = KeyMaterial.load(settings);
  }

  /** True if a file changed since it was last read (then {@link #reload} reads it again). */
  public synchronized boolean changed() {
    return !stamps.equals(stamps());
  }

  private List<String> stamps() {
    List<String> out = new ArrayList<>();
    for (Path file : files) {
      try {
        out.add(Files.getLastModifiedTime(file) + "/" + Files.size(file));
      } catch (IOException e) {
        out.add("unreadable");
      }
    }
    return out;
  }

  /** A new engine for one connection, from the current material. */
  SSLEngine engine(boolean client, String peerHost, int peerPort) {
    SSLEngine engine =
        client ? current.createSSLEngine(peerHost, peerPort) : current.createSSLEngine();
    engine.setUseClientMode(client);
    if (!client) {
      engine.setNeedClientAuth(true);
    }
    engine.setEnabledProtocols(settings.protocols().toArray(new String[0]));
    if (!settings.cipherSuites().isEmpty()) {
      engine.setEnabledCipherSuites(settings.cipherSuites().toArray(new String[0]));
    }
    return engine;
  }
}
