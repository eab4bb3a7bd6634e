package dev.gossip.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.message.Gossip;
import org.junit.jupiter.api.Test;

class IdentityTest {

  @Test
  void aRestartedProcessOnTheSameAddressIsANewNode() {
    NodeId before = new NodeId("10.0.0.1", 7000, 1);
    NodeId after = new NodeId("10.0.0.1", 7000, 2);
    assertNotEquals(before, after);
    assertTrue(before.sameAddress(after));
    assertTrue(before.compareTo(after) < 0);
  }

  @Test
  void aContactHasNoIncarnationYet() {
    NodeId contact = NodeId.contact("seed.example", 7000);
    assertTrue(contact.isContact());
    assertFalse(new NodeId("seed.example", 7000, 5).isContact());
    assertTrue(contact.sameAddress(new NodeId("seed.example", 7000, 5)));
  }

  @Test
  void badAddressesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new NodeId(" ", 7000, 1));
    assertThrows(IllegalArgumentException.class, () -> new NodeId("h", 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new NodeId("h", 65_536, 1));
    assertThrows(IllegalArgumentException.class, () -> new NodeId("h", 1, -1));
  }

  @Test
  void twoBroadcastsOfTheSameBytesAreTwoMessages() {
    NodeId origin = new NodeId("h", 1, 1);
    assertNotEquals(new MessageId(origin, 1), new MessageId(origin, 2));
    assertThrows(IllegalArgumentException.class, () -> new MessageId(origin, 0));
  }

  @Test
  void gossipEqualityComparesPayloadContent() {
    MessageId id = new MessageId(new NodeId("h", 1, 1), 1);
    assertEquals(new Gossip(id, 1, new byte[] {1, 2}), new Gossip(id, 1, new byte[] {1, 2}));
    assertEquals(
        new Gossip(id, 1, new byte[] {1, 2}).hashCode(),
        new Gossip(id, 1, new byte[] {1, 2}).hashCode());
    assertNotEquals(new Gossip(id, 1, new byte[] {1, 2}), new Gossip(id, 1, new byte[] {1, 3}));
  }
}
