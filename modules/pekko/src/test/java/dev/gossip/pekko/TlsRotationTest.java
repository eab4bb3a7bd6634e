package dev.gossip.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.InvalidSettingException;
import dev.gossip.core.MessageId;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running node's key store is replaced by one with a new certificate: after a reload, new
 * connections get the new certificate, the link opened before keeps working, and no broadcast sent
 * before, during or after is lost.
 */
class TlsRotationTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String S = "127.0.0.41";

  @TempDir static Path dir;
  private static Certs certs;

  private final LoopbackNodes nodes = new LoopbackNodes();

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = new Certs(dir);
    certs.script(Certs.ca("ca"));
    certs.run(
        List.of(
            Certs.node("s", "ca", "ip:" + S),
            Certs.node("s-next", "ca", "ip:" + S),
            Certs.node("p", "ca", "ip:127.0.0.42"),
            Certs.node("q", "ca", "ip:127.0.0.43")));
  }

  @AfterEach
  void stopAll() {
    nodes.close();
  }

  private TestNode start(String host, String config) {
    return nodes.start(host, config);
  }

  /** Replaces {@code live} at once, as a deployment should (write aside, then rename). */
  private static void replace(Path live, Path with) throws Exception {
    Path aside = Files.createTempFile(dir, "next", ".p12");
    Files.copy(with, aside, StandardCopyOption.REPLACE_EXISTING);
    Files.move(aside, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static BigInteger presented(TestNode node) throws Exception {
    return Certs.presentedSerial(
        S, node.gossip.self().port(), certs.keyStore("p"), certs.trustStore("ca"));
  }

  private static MessageId broadcast(TestNode from, List<MessageId> sent) throws Exception {
    MessageId id =
        from.gossip
            .broadcast(("#" + sent.size()).getBytes(StandardCharsets.UTF_8))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    sent.add(id);
    return id;
  }

  @Test
  void reloadOnCommand() throws Exception {
    rotate("command", false);
  }

  @Test
  void reloadWhenTheFilesChange() throws Exception {
    rotate("poll", true);
  }

  private void rotate(String name, boolean byPolling) throws Exception {
    Path live = dir.resolve(name + "-s.p12");
    Files.copy(certs.keyStore("s"), live);
    TestNode s =
        start(
            S,
            Certs.config(live, certs.trustStore("ca"))
                + "\ngossip.tls.reload-interval = "
                + (byPolling ? "200 ms" : "0 s"));
    TestNode p = start("127.0.0.42", certs.config("p", "ca"));
    s.gossip.join(List.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    p.gossip.join(List.of(s.address())).toCompletableFuture().get(60, TimeUnit.SECONDS);
    BigInteger before = Certs.serial(certs.keyStore("s"));
    BigInteger after = Certs.serial(certs.keyStore("s-next"));
    assertNotEquals(before, after);
    assertEquals(before, presented(s));

    List<MessageId> sent = new ArrayList<>();
    broadcast(s, sent);
    broadcast(p, sent);
    if (!byPolling) {
      // Unusable material is refused and the old stays in use.
      Files.writeString(live, "not a key store");
      ExecutionException refused =
          assertThrows(
              ExecutionException.class,
              () -> s.gossip.reloadTls().toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertInstanceOf(InvalidSettingException.class, refused.getCause());
      assertEquals(
          "gossip.tls.key-store.path", ((InvalidSettingException) refused.getCause()).key());
      assertEquals(1, s.gossip.metrics().tlsReloadFailures());
      assertEquals(before, presented(s));
    }
    replace(live, certs.keyStore("s-next"));
    broadcast(s, sent);
    broadcast(p, sent);
    if (byPolling) {
      TestNode.await(
          WAIT, "the changed key store to be reloaded", () -> s.gossip.metrics().tlsReloads() >= 1);
    } else {
      s.gossip.reloadTls().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(1, s.gossip.metrics().tlsReloads());
    }
    assertEquals(after, presented(s));

    // A new peer connects with the new certificate; the link opened before stays.
    TestNode q = start("127.0.0.43", certs.config("q", "ca"));
    q.gossip.join(List.of(s.address())).toCompletableFuture().get(60, TimeUnit.SECONDS);
    List<MessageId> late = new ArrayList<>();
    for (TestNode from : List.of(s, p, q)) {
      broadcast(from, late);
    }
    TestNode.await(
        WAIT,
        "every broadcast to be delivered",
        () ->
            sent.stream().allMatch(id -> s.delivered(id) == 1 && p.delivered(id) == 1)
                && late.stream()
                    .allMatch(id -> s.delivered(id) + p.delivered(id) + q.delivered(id) == 3));
    assertTrue(p.isNeighbor(s.gossip.self()), "the link from before the reload is up");
    assertTrue(
        p.membershipEvents.stream().noneMatch(e -> e instanceof GossipEvent.NeighborDown),
        "the link from before the reload never went down: " + p.membershipEvents);
    for (TestNode node : nodes.all()) {
      MetricsSnapshot m = node.gossip.metrics();
      assertTrue(
          m.tlsRejections().values().stream().allMatch(n -> n == 0),
          node.address() + " refused a connection: " + m.tlsRejections());
    }
  }
}
