package dev.gossip.pekko;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import dev.gossip.core.Check;
import dev.gossip.core.GossipSettings;
import dev.gossip.core.InvalidSettingException;
import dev.gossip.core.NodeId;
import dev.gossip.core.dissemination.Plumtree;
import dev.gossip.core.dissemination.PlumtreeSettings;
import dev.gossip.core.heartbeat.HeartbeatSettings;
import dev.gossip.core.membership.MembershipSettings;
import dev.gossip.core.recovery.RecoverySettings;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A node's settings: where it listens, whom it joins through, the transport limits and the protocol
 * settings of the core. Load them with {@link #load(Config)} from a configuration whose root holds
 * the {@code gossip} section (reference.conf documents every key); every value is validated and an
 * invalid one raises an {@link InvalidSettingException} whose {@code key()} is the full path.
 *
 * @param host address the listener binds to
 * @param port port to bind, 0 for any free port
 * @param advertisedHost host other nodes reach this one at
 * @param contacts contact addresses "host:port" tried in order by {@code join()}
 * @param contactDnsName a DNS name whose addresses are all contacts, or empty
 * @param contactDnsPort the port of the DNS contacts
 * @param transport link limits
 * @param subscriberBufferSize buffer of each Source subscription
 * @param metricsWindow gossip receipts over which RMR and LDH are computed
 * @param maxPendingConfirmations confirmed broadcasts that may wait for their acks at once
 * @param protocol the core's settings
 * @param tls TLS on the peer links
 * @param publishToEventStream whether every event is also published on the ActorSystem's event
 *     stream
 */
public record NodeSettings(
    String host,
    int port,
    String advertisedHost,
    List<String> contacts,
    String contactDnsName,
    int contactDnsPort,
    Transport transport,
    int subscriberBufferSize,
    int metricsWindow,
    int maxPendingConfirmations,
    GossipSettings protocol,
    Tls tls,
    boolean publishToEventStream) {

  /** Room kept in a frame for the Gossip header; a payload may use the rest. */
  public static final int HEADER_ROOM = 1024;

  /**
   * Link limits.
   *
   * @param maxFrameSize largest frame accepted or sent, bytes after the length prefix
   * @param outboundQueueSize frames queued per link before the peer counts as slow
   * @param inboundQueueSize peer messages waiting in the role actors before the links stop reading
   * @param batchMaxBytes most bytes written together when the socket is busy
   * @param connectTimeout time to open a connection
   * @param handshakeTimeout time for the peer's Hello to arrive
   * @param idleTimeout unused time after which a link outside the active view closes
   * @param dropLogInterval refused frames are logged at most once per reason per interval
   * @param limits what one peer may use of this node
   */
  public record Transport(
      int maxFrameSize,
      int outboundQueueSize,
      int inboundQueueSize,
      int batchMaxBytes,
      Duration connectTimeout,
      Duration handshakeTimeout,
      Duration idleTimeout,
      Duration dropLogInterval,
      PeerLimits limits) {

    public Transport {
      Check.atLeast("gossip.transport.max-frame-size", maxFrameSize, 4 * HEADER_ROOM);
      Check.atLeast("gossip.transport.outbound-queue-size", outboundQueueSize, 1);
      Check.atLeast("gossip.transport.inbound-queue-size", inboundQueueSize, 8);
      Check.atLeast("gossip.transport.batch-max-bytes", batchMaxBytes, 1);
      Check.positive("gossip.transport.connect-timeout", connectTimeout);
      Check.positive("gossip.transport.handshake-timeout", handshakeTimeout);
      Check.positive("gossip.transport.idle-timeout", idleTimeout);
      Check.positive("gossip.transport.drop-log-interval", dropLogInterval);
      Objects.requireNonNull(limits, "limits");
      Check.that(
          limits.unauthenticatedLifetime().compareTo(handshakeTimeout) > 0,
          "gossip.transport.unauthenticated-lifetime",
          "must be longer than gossip.transport.handshake-timeout (" + handshakeTimeout + ")");
    }
  }

  /**
   * What one peer may use of this node, all keys under {@code gossip.transport}; a peer past any of
   * them has its link closed, counted by the {@link DropReason} named here.
   *
   * @param maxConnectionsPerAddress accepted connections open at once per remote IP address ({@link
   *     DropReason#TOO_MANY_CONNECTIONS})
   * @param unauthenticatedLifetime longest an accepted connection stays open while its peer is not
   *     in the active view ({@link DropReason#LIFETIME_EXCEEDED})
   * @param maxInboundFrameRate frames per second per link, bursts of one second's worth allowed
   *     ({@link DropReason#RATE_LIMITED})
   * @param maxIHaveIdsPerFrame announcements per IHave ({@link DropReason#TOO_MANY_ENTRIES}, as the
   *     rest)
   * @param maxShuffleEntriesPerFrame nodes per Shuffle or ShuffleReply
   * @param maxGraftIdsPerFrame message ids per Graft
   * @param maxDigestOriginsPerFrame origins per Digest
   * @param maxDigestGapsPerOrigin gap ranges per origin of a Digest
   */
  public record PeerLimits(
      int maxConnectionsPerAddress,
      Duration unauthenticatedLifetime,
      int maxInboundFrameRate,
      int maxIHaveIdsPerFrame,
      int maxShuffleEntriesPerFrame,
      int maxGraftIdsPerFrame,
      int maxDigestOriginsPerFrame,
      int maxDigestGapsPerOrigin) {

    public PeerLimits {
      Check.atLeast("gossip.transport.max-connections-per-address", maxConnectionsPerAddress, 1);
      Check.positive("gossip.transport.unauthenticated-lifetime", unauthenticatedLifetime);
      Check.atLeast("gossip.transport.max-inbound-frame-rate", maxInboundFrameRate, 1);
      Check.atLeast("gossip.transport.max-graft-ids-per-frame", maxGraftIdsPerFrame, 1);
    }

    /** Checks that this node's own frames, as its protocol settings size them, pass the limits. */
    void checkCovers(GossipSettings protocol) {
      covers(
          "gossip.transport.max-ihave-ids-per-frame",
          maxIHaveIdsPerFrame,
          "gossip.dissemination.max-ihave-batch",
          protocol.dissemination().maxIHaveBatch());
      covers(
          "gossip.transport.max-shuffle-entries-per-frame",
          maxShuffleEntriesPerFrame,
          "1 + gossip.membership.shuffle-active-count + shuffle-passive-count",
          protocol.membership().maxShuffleNodes());
      covers(
          "gossip.transport.max-digest-origins-per-frame",
          maxDigestOriginsPerFrame,
          "gossip.recovery.max-origins",
          protocol.recovery().maxOrigins());
      covers(
          "gossip.transport.max-digest-gaps-per-origin",
          maxDigestGapsPerOrigin,
          "gossip.recovery.max-gaps-per-origin",
          protocol.recovery().maxGapsPerOrigin());
    }

    private static void covers(String key, int limit, String senderKey, int sent) {
      Check.that(limit >= sent, key, "must be >= " + senderKey + " (" + sent + "), was " + limit);
    }
  }

  /** Formats of key material: a PKCS#12 file, or PEM files. */
  public enum StoreType {
    PKCS12,
    PEM
  }

  /**
   * Mutual TLS on every peer link. The key material is read when the node starts and again on
   * reload; {@code reference.conf} documents each key.
   *
   * @param enabled whether links run over TLS
   * @param keyStoreType PKCS12 (keyStorePath) or PEM (certificateChain and privateKey)
   * @param keyStorePath PKCS#12 file with this node's private key and certificate chain
   * @param keyStorePassword password of the PKCS#12 key store and its key
   * @param certificateChain PEM file: this node's certificate, then its issuers
   * @param privateKey PEM file: this node's unencrypted PKCS#8 private key
   * @param trustStoreType PKCS12 or PEM
   * @param trustStorePath the CA certificates peers' certificates must chain to
   * @param trustStorePassword password of a PKCS#12 trust store
   * @param protocols TLS protocol versions enabled
   * @param cipherSuites cipher suites enabled; empty means the JDK's defaults
   * @param reloadInterval how often the files are checked for a change; zero turns this off
   */
  public record Tls(
      boolean enabled,
      StoreType keyStoreType,
      String keyStorePath,
      String keyStorePassword,
      String certificateChain,
      String privateKey,
      StoreType trustStoreType,
      String trustStorePath,
      String trustStorePassword,
      List<String> protocols,
      List<String> cipherSuites,
      Duration reloadInterval) {

    public Tls {
      protocols = List.copyOf(protocols);
      cipherSuites = List.copyOf(cipherSuites);
      if (enabled) {
        String fix =
            " TLS is on (the lan and wan presets turn it on): give this node its key material"
                + " (see the Security section of the README), or set gossip.tls.enabled = off, or"
                + " use gossip.preset = local.";
        if (keyStoreType == StoreType.PKCS12) {
          Check.that(!keyStorePath.isBlank(), "gossip.tls.key-store.path", "is empty." + fix);
        } else {
          Check.that(
              !certificateChain.isBlank(),
              "gossip.tls.key-store.certificate-chain",
              "is empty (key-store.type = PEM)." + fix);
          Check.that(
              !privateKey.isBlank(),
              "gossip.tls.key-store.private-key",
              "is empty (key-store.type = PEM)." + fix);
        }
        Check.that(!trustStorePath.isBlank(), "gossip.tls.trust-store.path", "is empty." + fix);
        Check.that(!protocols.isEmpty(), "gossip.tls.protocols", "must name at least one");
        supported("gossip.tls.protocols", protocols, Tls::supportedProtocols);
        supported("gossip.tls.cipher-suites", cipherSuites, Tls::supportedCipherSuites);
      }
      Check.that(
          !reloadInterval.isNegative(),
          "gossip.tls.reload-interval",
          "must be >= 0 (0 turns polling off), was " + reloadInterval);
    }

    private static void supported(String key, List<String> names, Supplier<String[]> known) {
      List<String> all = List.of(known.get());
      for (String name : names) {
        Check.that(all.contains(name), key, name + " is not supported by this JVM; one of " + all);
      }
    }

    private static String[] supportedProtocols() {
      return defaultContext().getSupportedSSLParameters().getProtocols();
    }

    private static String[] supportedCipherSuites() {
      return defaultContext().getSupportedSSLParameters().getCipherSuites();
    }

    private static SSLContext defaultContext() {
      try {
        return SSLContext.getDefault();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("this JVM has no default TLS implementation", e);
      }
    }
  }

  public NodeSettings {
    Objects.requireNonNull(host, "host");
    Check.that(!host.isBlank(), "gossip.host", "must not be empty");
    Check.that(port >= 0 && port <= 65_535, "gossip.port", "must be in 0..65535, was " + port);
    boolean advertisedSet = advertisedHost != null && !advertisedHost.isBlank();
    advertisedHost = advertisedSet ? advertisedHost : host;
    int hostBytes = advertisedHost.getBytes(StandardCharsets.UTF_8).length;
    Check.that(
        hostBytes <= 255,
        advertisedSet ? "gossip.advertised-host" : "gossip.host",
        "must be at most 255 bytes in UTF-8 (frames carry it with a 1-byte length), was "
            + hostBytes);
    checkBindable(host, advertisedSet);
    contacts = List.copyOf(contacts);
    for (String contact : contacts) {
      parseContact(contact);
    }
    contactDnsName = contactDnsName == null ? "" : contactDnsName.trim();
    Check.that(
        contactDnsPort >= 1 && contactDnsPort <= 65_535,
        "gossip.contact-dns.port",
        "must be in 1..65535, was " + contactDnsPort);
    Objects.requireNonNull(transport, "transport");
    Check.atLeast("gossip.subscriber-buffer-size", subscriberBufferSize, 1);
    Check.atLeast("gossip.metrics-window", metricsWindow, 1);
    Check.that(
        maxPendingConfirmations >= 1 && maxPendingConfirmations <= Plumtree.MAX_CONFIRMING,
        "gossip.dissemination.max-pending-confirmations",
        "must be in 1.." + Plumtree.MAX_CONFIRMING + ", was " + maxPendingConfirmations);
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(tls, "tls");
    transport.limits().checkCovers(protocol);
  }

  /**
   * The listener can bind {@code host} only if it is the wildcard address or one of this machine's
   * (a loopback address counts: all of 127/8 is local). A wildcard is no address to advertise.
   */
  private static void checkBindable(String host, boolean advertisedSet) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new InvalidSettingException(
          "gossip.host", host + " does not resolve; give an address or name of this machine");
    }
    if (address.isAnyLocalAddress()) {
      Check.that(
          advertisedSet,
          "gossip.advertised-host",
          "must be set when gossip.host is the wildcard "
              + host
              + ": other nodes cannot dial it; give the address or name they reach this machine at");
      return;
    }
    boolean local;
    try {
      local = address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      throw new InvalidSettingException(
          "gossip.host", "cannot list this machine's network interfaces: " + e.getMessage());
    }
    Check.that(
        local,
        "gossip.host",
        host
            + " ("
            + address.getHostAddress()
            + ") is not an address of this machine; give one of its own addresses, or 0.0.0.0"
            + " with gossip.advertised-host");
  }

  /** The largest payload {@code broadcast} accepts. */
  public int maxPayloadSize() {
    return transport.maxFrameSize() - HEADER_ROOM;
  }

  /** These settings listening on another port (0: any free one). */
  public NodeSettings withPort(int newPort) {
    return new NodeSettings(
        host,
        newPort,
        advertisedHost,
        contacts,
        contactDnsName,
        contactDnsPort,
        transport,
        subscriberBufferSize,
        metricsWindow,
        maxPendingConfirmations,
        protocol,
        tls,
        publishToEventStream);
  }

  /** These settings with another contact list. */
  public NodeSettings withContacts(List<String> newContacts) {
    return new NodeSettings(
        host,
        port,
        advertisedHost,
        newContacts,
        contactDnsName,
        contactDnsPort,
        transport,
        subscriberBufferSize,
        metricsWindow,
        maxPendingConfirmations,
        protocol,
        tls,
        publishToEventStream);
  }

  /** Parses "host:port" into a contact id (incarnation unknown). */
  public static NodeId parseContact(String contact) {
    int colon = contact == null ? -1 : contact.lastIndexOf(':');
    if (colon <= 0 || colon == contact.length() - 1) {
      throw new InvalidSettingException("gossip.contacts", "expected host:port, was " + contact);
    }
    String host = contact.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(contact.substring(colon + 1));
      return NodeId.contact(host, port);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(
          "gossip.contacts",
          "expected host:port with a port in 1..65535, was "
              + contact
              + (contact.contains("#")
                  ? " (a NodeId prints as host:port#incarnation; a contact is its host:port)"
                  : ""));
    }
  }

  /**
   * The contacts to join through: the configured list, then every address the DNS name resolves to.
   *
   * @throws UnknownHostException if the DNS name does not resolve
   */
  public List<NodeId> resolveContacts() throws UnknownHostException {
    List<NodeId> resolved = new ArrayList<>();
    for (String contact : contacts) {
      resolved.add(parseContact(contact));
    }
    if (!contactDnsName.isEmpty()) {
      for (InetAddress address : InetAddress.getAllByName(contactDnsName)) {
        resolved.add(NodeId.contact(address.getHostAddress(), contactDnsPort));
      }
    }
    return resolved;
  }

  /**
   * Loads and validates the {@code gossip} section of {@code root}, with the chosen preset applied
   * under the keys set explicitly.
   *
   * @throws InvalidSettingException naming the key: a value out of range, or a key reference.conf
   *     does not define (with the closest one it does)
   */
  public static NodeSettings load(Config root) {
    Config section = read(() -> root.getConfig("gossip"), "gossip");
    KnownKeys.fromReference().check(section);
    Config g = withPreset(section);
    try {
      return new NodeSettings(
          read(() -> g.getString("host"), "host"),
          read(() -> g.getInt("port"), "port"),
          read(() -> g.getString("advertised-host"), "advertised-host"),
          read(() -> g.getStringList("contacts"), "contacts"),
          read(() -> g.getString("contact-dns.name"), "contact-dns.name"),
          read(() -> g.getInt("contact-dns.port"), "contact-dns.port"),
          new Transport(
              bytes(g, "transport.max-frame-size"),
              read(
                  () -> g.getInt("transport.outbound-queue-size"), "transport.outbound-queue-size"),
              read(() -> g.getInt("transport.inbound-queue-size"), "transport.inbound-queue-size"),
              bytes(g, "transport.batch-max-bytes"),
              duration(g, "transport.connect-timeout"),
              duration(g, "transport.handshake-timeout"),
              duration(g, "transport.idle-timeout"),
              duration(g, "transport.drop-log-interval"),
              new PeerLimits(
                  integer(g, "transport.max-connections-per-address"),
                  duration(g, "transport.unauthenticated-lifetime"),
                  integer(g, "transport.max-inbound-frame-rate"),
                  integer(g, "transport.max-ihave-ids-per-frame"),
                  integer(g, "transport.max-shuffle-entries-per-frame"),
                  integer(g, "transport.max-graft-ids-per-frame"),
                  integer(g, "transport.max-digest-origins-per-frame"),
                  integer(g, "transport.max-digest-gaps-per-origin"))),
          read(() -> g.getInt("subscriber-buffer-size"), "subscriber-buffer-size"),
          read(() -> g.getInt("metrics-window"), "metrics-window"),
          integer(g, "dissemination.max-pending-confirmations"),
          protocol(g),
          tls(g),
          read(() -> g.getBoolean("publish-to-event-stream"), "publish-to-event-stream"));
    } catch (InvalidSettingException e) {
      throw qualified(e);
    }
  }

  private static GossipSettings protocol(Config g) {
    return new GossipSettings(
        new MembershipSettings(
            integer(g, "membership.active-view-size"),
            integer(g, "membership.passive-view-size"),
            integer(g, "membership.active-random-walk-length"),
            integer(g, "membership.passive-random-walk-length"),
            integer(g, "membership.shuffle-active-count"),
            integer(g, "membership.shuffle-passive-count"),
            duration(g, "membership.shuffle-interval"),
            duration(g, "membership.neighbor-request-timeout"),
            duration(g, "membership.rejoin-backoff-min"),
            duration(g, "membership.rejoin-backoff-max"),
            duration(g, "membership.suspect-retention")),
        new PlumtreeSettings(
            duration(g, "dissemination.ihave-interval"),
            duration(g, "dissemination.max-ihave-interval"),
            integer(g, "dissemination.max-ihave-batch"),
            integer(g, "dissemination.optimization-threshold"),
            integer(g, "dissemination.seen-capacity"),
            duration(g, "dissemination.seen-retention"),
            integer(g, "dissemination.cache-capacity"),
            longBytes(g, "dissemination.cache-bytes"),
            duration(g, "dissemination.cache-retention")),
        new RecoverySettings(
            duration(g, "recovery.graft-timeout"),
            duration(g, "recovery.second-graft-timeout"),
            maxGraftTimeout(g),
            integer(g, "recovery.max-missing"),
            integer(g, "recovery.max-announcers"),
            duration(g, "recovery.anti-entropy-interval"),
            integer(g, "recovery.history-capacity"),
            longBytes(g, "recovery.history-bytes"),
            duration(g, "recovery.history-retention"),
            integer(g, "recovery.max-origins"),
            integer(g, "recovery.max-gaps-per-origin"),
            integer(g, "recovery.max-resend-per-digest")),
        new HeartbeatSettings(
            duration(g, "heartbeat.ping-interval"), duration(g, "heartbeat.failure-timeout")));
  }

  private static Tls tls(Config g) {
    return new Tls(
        read(() -> g.getBoolean("tls.enabled"), "tls.enabled"),
        storeType(g, "tls.key-store.type"),
        read(() -> g.getString("tls.key-store.path"), "tls.key-store.path"),
        read(() -> g.getString("tls.key-store.password"), "tls.key-store.password"),
        read(
            () -> g.getString("tls.key-store.certificate-chain"),
            "tls.key-store.certificate-chain"),
        read(() -> g.getString("tls.key-store.private-key"), "tls.key-store.private-key"),
        storeType(g, "tls.trust-store.type"),
        read(() -> g.getString("tls.trust-store.path"), "tls.trust-store.path"),
        read(() -> g.getString("tls.trust-store.password"), "tls.trust-store.password"),
        read(() -> g.getStringList("tls.protocols"), "tls.protocols"),
        read(() -> g.getStringList("tls.cipher-suites"), "tls.cipher-suites"),
        duration(g, "tls.reload-interval"));
  }

  private static StoreType storeType(Config g, String path) {
    String value = read(() -> g.getString(path), path);
    for (StoreType type : StoreType.values()) {
      if (type.name().equalsIgnoreCase(value)) {
        return type;
      }
    }
    throw new InvalidSettingException("gossip." + path, "must be PKCS12 or PEM, was " + value);
  }

  /**
   * Applies {@code presets.<preset>} to every key that still has its reference.conf value, so a key
   * set by the application wins over the preset.
   */
  private static Config withPreset(Config g) {
    String preset = read(() -> g.getString("preset"), "preset");
    if (!g.hasPath("presets." + preset) || preset.contains(".")) {
      throw new InvalidSettingException(
          "gossip.preset",
          "unknown preset \"" + preset + "\"; one of " + g.getConfig("presets").root().keySet());
    }
    Config effective = g;
    for (Map.Entry<String, ConfigValue> e : g.getConfig("presets." + preset).entrySet()) {
      String path = e.getKey();
      if (!g.hasPath(path) || "reference.conf".equals(g.getValue(path).origin().resource())) {
        effective = effective.withValue(path, e.getValue());
      }
    }
    return effective;
  }

  private static int integer(Config g, String path) {
    return read(() -> g.getInt(path), path);
  }

  /** {@code off} keeps the graft timers fixed: the adaptive wait may grow no further than them. */
  private static Duration maxGraftTimeout(Config g) {
    String path = "recovery.max-graft-timeout";
    if (!"off".equals(read(() -> g.getString(path), path))) {
      return duration(g, path);
    }
    Duration first = duration(g, "recovery.graft-timeout");
    Duration second = duration(g, "recovery.second-graft-timeout");
    return first.compareTo(second) >= 0 ? first : second;
  }

  private static Duration duration(Config g, String path) {
    return read(() -> g.getDuration(path), path);
  }

  private static long longBytes(Config g, String path) {
    return read(() -> g.getBytes(path), path);
  }

  private static int bytes(Config g, String path) {
    long value = longBytes(g, path);
    if (value > Integer.MAX_VALUE) {
      throw new InvalidSettingException("gossip." + path, "must be < 2 GiB, was " + value);
    }
    return (int) value;
  }

  private static <T> T read(Supplier<T> getter, String path) {
    try {
      return getter.get();
    } catch (ConfigException e) {
      String key = path.equals("gossip") ? path : "gossip." + path;
      throw new InvalidSettingException(key, e.getMessage());
    }
  }

  /** The core names keys relative to the section; the application sees the full path. */
  private static InvalidSettingException qualified(InvalidSettingException e) {
    if (e.key().startsWith("gossip.")) {
      return e;
    }
    String prefix = "invalid setting " + e.key() + ": ";
    String problem =
        e.getMessage().startsWith(prefix)
            ? e.getMessage().substring(prefix.length())
            : e.getMessage();
    InvalidSettingException q = new InvalidSettingException("gossip." + e.key(), problem);
    q.initCause(e);
    return q;
  }
}
