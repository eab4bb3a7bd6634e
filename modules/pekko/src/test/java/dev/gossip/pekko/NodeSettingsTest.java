package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.gossip.core.InvalidSettingException;
import dev.gossip.core.NodeId;
import java.net.BindException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeSettingsTest {

  /** Loads with TLS off unless {@code config} turns it on (TLS settings: TlsSettingsTest). */
  private static NodeSettings load(String config) {
    return NodeSettings.load(
        ConfigFactory.parseString(config)
            .withFallback(ConfigFactory.parseString("gossip.tls.enabled = off"))
            .withFallback(ConfigFactory.defaultReference())
            .resolve());
  }

  private static InvalidSettingException rejected(String config) {
    return assertThrows(InvalidSettingException.class, () -> load(config));
  }

  @Test
  void defaultsAreTheLanPreset() {
    NodeSettings s = load("");
    assertEquals(7355, s.port());
    assertEquals(5, s.protocol().membership().activeViewSize());
    assertEquals(Duration.ofSeconds(5), s.protocol().heartbeat().failureTimeout());
    assertEquals(1 << 20, s.transport().maxFrameSize());
    assertEquals(1024, s.maxPendingConfirmations());
  }

  @Test
  void defaultsWithoutKeyMaterialRefuseToStartAndSayHowToFix() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> NodeSettings.load(ConfigFactory.defaultReference().resolve()));
    assertEquals("gossip.tls.key-store.path", e.key());
    assertTrue(e.getMessage().contains("gossip.tls.enabled = off"), e.getMessage());
    assertTrue(e.getMessage().contains("gossip.preset = local"), e.getMessage());
  }

  @Test
  void presetsOverrideOnlyWhatDiffersAndExplicitKeysWin() {
    NodeSettings local =
        NodeSettings.load(
            ConfigFactory.parseString("gossip.preset = local")
                .withFallback(ConfigFactory.defaultReference())
                .resolve());
    assertEquals(0, local.port());
    assertFalse(local.tls().enabled());
    assertEquals(Duration.ofMillis(200), local.protocol().heartbeat().pingInterval());
    assertEquals(30, local.protocol().membership().passiveViewSize());
    NodeSettings wan = load("gossip.preset = wan\ngossip.heartbeat.failure-timeout = 20s");
    assertEquals(Duration.ofSeconds(20), wan.protocol().heartbeat().failureTimeout());
    assertEquals(Duration.ofSeconds(2), wan.protocol().heartbeat().pingInterval());
  }

  @Test
  void graftTimersAdaptUpToTwoSecondsByDefaultAndOffKeepsThemFixed() {
    assertEquals(Duration.ofSeconds(2), load("").protocol().recovery().maxGraftTimeout());
    NodeSettings fixed = load("gossip.preset = wan\ngossip.recovery.max-graft-timeout = off");
    assertEquals(Duration.ofMillis(500), fixed.protocol().recovery().maxGraftTimeout());
    NodeSettings adaptive = load("gossip.recovery.max-graft-timeout = 3s");
    assertEquals(Duration.ofSeconds(3), adaptive.protocol().recovery().maxGraftTimeout());
    assertEquals(
        "gossip.recovery.max-graft-timeout",
        rejected("gossip.recovery.max-graft-timeout = sometimes").key());
    assertEquals(
        "gossip.recovery.max-graft-timeout",
        rejected("gossip.recovery.max-graft-timeout = 10ms").key());
  }

  @Test
  void theIHaveFlushFollowsTheRoundTripUpToItsMaximum() {
    assertEquals(Duration.ofMillis(50), load("").protocol().dissemination().maxIHaveInterval());
    // The wan preset's 50 ms least meets the default most: a fixed delay.
    NodeSettings wan = load("gossip.preset = wan");
    assertEquals(Duration.ofMillis(50), wan.protocol().dissemination().ihaveInterval());
    assertEquals(Duration.ofMillis(50), wan.protocol().dissemination().maxIHaveInterval());
    // A least above the default most is a fixed delay, not an error: configurations that set
    // only ihave-interval keep working.
    NodeSettings longer = load("gossip.dissemination.ihave-interval = 100ms");
    assertEquals(Duration.ofMillis(100), longer.protocol().dissemination().ihaveInterval());
    assertEquals(
        "gossip.dissemination.max-ihave-interval",
        rejected("gossip.dissemination.max-ihave-interval = 0ms").key());
  }

  @Test
  void badValuesAreRejectedWithTheFullKey() {
    assertEquals(
        "gossip.membership.active-view-size",
        rejected("gossip.membership.active-view-size = 0").key());
    assertEquals(
        "gossip.heartbeat.ping-interval",
        rejected("gossip.heartbeat.ping-interval = banana").key());
    assertEquals(
        "gossip.heartbeat.failure-timeout",
        rejected("gossip.heartbeat.failure-timeout = 500ms").key());
    assertEquals("gossip.preset", rejected("gossip.preset = mars").key());
    assertEquals("gossip.contacts", rejected("gossip.contacts = [\"no-port\"]").key());
    assertEquals("gossip.port", rejected("gossip.port = 70000").key());
    assertEquals(
        "gossip.advertised-host", rejected("gossip.advertised-host = " + "a".repeat(256)).key());
    assertEquals("gossip.host", rejected("gossip.host = " + "a".repeat(256)).key());
    assertEquals(
        "gossip.transport.max-frame-size", rejected("gossip.transport.max-frame-size = 10").key());
    assertRejected(
        "gossip.dissemination.max-pending-confirmations = 0",
        "gossip.dissemination.max-pending-confirmations",
        "must be in 1..65536, was 0");
    assertRejected(
        "gossip.dissemination.max-pending-confirmations = 65537",
        "gossip.dissemination.max-pending-confirmations",
        "was 65537");
    InvalidSettingException e = rejected("gossip.recovery.history-capacity = 100000");
    assertEquals("gossip.dissemination.seen-capacity", e.key());
    assertTrue(e.getMessage().contains("gossip.dissemination.seen-capacity"), e.getMessage());
  }

  /** Asserts that {@code config} is rejected, naming {@code key}, with {@code problem} said. */
  private static void assertRejected(String config, String key, String problem) {
    InvalidSettingException e = rejected(config);
    assertEquals(key, e.key());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @Test
  void misspelledKeysFailNamingTheClosestKey() {
    assertRejected(
        "gossip.membership.active-veiw-size = 4",
        "gossip.membership.active-veiw-size",
        "did you mean gossip.membership.active-view-size?");
    assertRejected("gossip.hots = \"10.0.0.1\"", "gossip.hots", "did you mean gossip.host?");
    assertRejected(
        "gossip.presets.local.heartbeat.ping-intervall = 1s",
        "gossip.presets.local.heartbeat.ping-intervall",
        "did you mean gossip.presets.local.heartbeat.ping-interval?");
    assertEquals(
        List.of("10.0.0.1:7355"),
        load("gossip.contacts.0 = \"10.0.0.1:7355\"\ngossip.presets.local.port = 1").contacts());
    assertRejected(
        "gossip.contacts = [\"127.0.0.1:7355#1796303623277959\"]",
        "gossip.contacts",
        "a contact is its host:port");
    // The dispatcher's section is Pekko's dispatcher configuration: any executor's keys.
    load("gossip.dispatcher.thread-pool-executor.fixed-pool-size = 2");
  }

  @Test
  void aWildcardHostNeedsAnAdvertisedHost() {
    assertRejected("gossip.host = 0.0.0.0", "gossip.advertised-host", "wildcard");
    assertRejected("gossip.host = \"::\"", "gossip.advertised-host", "wildcard");
    NodeSettings s = load("gossip.host = 0.0.0.0\ngossip.advertised-host = \"10.0.0.5\"");
    assertEquals("10.0.0.5", s.advertisedHost());
  }

  @Test
  void aHostThatIsNotOneOfThisMachinesIsReportedAsSuch() {
    assertRejected("gossip.host = not-a-host.invalid", "gossip.host", "does not resolve");
    // 192.0.2.0/24 is reserved for documentation (RFC 5737): no machine has it.
    assertRejected("gossip.host = \"192.0.2.1\"", "gossip.host", "not an address of this machine");
    assertEquals("127.0.0.2", load("gossip.host = \"127.0.0.2\"").host());
  }

  @Test
  void aBindFailureSaysWhetherTheAddressIsInUseOrNotBindable() {
    BindFailedException inUse =
        new BindFailedException(
            "10.0.0.1", 7355, new RuntimeException(new BindException("Address already in use")));
    assertTrue(inUse.getMessage().contains("is in use"), inUse.getMessage());
    assertTrue(inUse.addressInUse());
    BindFailedException notLocal =
        new BindFailedException(
            "10.0.0.1", 7355, new BindException("Cannot assign requested address"));
    assertTrue(
        notLocal.getMessage().contains("Cannot assign requested address"), notLocal.getMessage());
    assertFalse(notLocal.getMessage().contains("in use"), notLocal.getMessage());
    assertFalse(notLocal.addressInUse());
  }

  @Test
  void peerLimitsAreValidatedAndMustCoverWhatThisNodeSends() {
    for (String key :
        List.of(
            "max-connections-per-address",
            "max-inbound-frame-rate",
            "max-graft-ids-per-frame",
            "max-ihave-ids-per-frame",
            "max-shuffle-entries-per-frame",
            "max-digest-origins-per-frame",
            "max-digest-gaps-per-origin")) {
      assertEquals("gossip.transport." + key, rejected("gossip.transport." + key + " = 0").key());
    }
    InvalidSettingException ihave = rejected("gossip.dissemination.max-ihave-batch = 2000");
    assertEquals("gossip.transport.max-ihave-ids-per-frame", ihave.key());
    assertTrue(ihave.getMessage().contains("gossip.dissemination.max-ihave-batch"));
    assertEquals(
        "gossip.transport.max-shuffle-entries-per-frame",
        rejected("gossip.transport.max-shuffle-entries-per-frame = 7").key());
    assertEquals(
        "gossip.transport.max-digest-origins-per-frame",
        rejected("gossip.recovery.max-origins = 5000").key());
    assertEquals(
        "gossip.transport.max-digest-gaps-per-origin",
        rejected("gossip.transport.max-digest-gaps-per-origin = 63").key());
    assertEquals(
        "gossip.transport.unauthenticated-lifetime",
        rejected("gossip.transport.unauthenticated-lifetime = 2 s").key());
    NodeSettings.PeerLimits limits = load("").transport().limits();
    assertEquals(128, limits.maxConnectionsPerAddress());
    assertEquals(Duration.ofSeconds(60), limits.unauthenticatedLifetime());
    assertEquals(100_000, limits.maxInboundFrameRate());
  }

  @Test
  void contactsComeFromTheListAndFromDns() throws Exception {
    NodeSettings s =
        load(
            "gossip.contacts = [\"10.1.2.3:7000\", \"[::1]:7001\"]\n"
                + "gossip.contact-dns { name = localhost, port = 7002 }");
    List<NodeId> contacts = s.resolveContacts();
    assertEquals(NodeId.contact("10.1.2.3", 7000), contacts.get(0));
    assertEquals(NodeId.contact("::1", 7001), contacts.get(1));
    assertTrue(contacts.size() >= 3, contacts.toString());
    assertTrue(contacts.subList(2, contacts.size()).stream().allMatch(c -> c.port() == 7002));
  }
}
