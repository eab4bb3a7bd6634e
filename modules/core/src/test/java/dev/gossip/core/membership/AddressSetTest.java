package dev.gossip.core.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.NodeId;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AddressSetTest {

  @Test
  void anotherIncarnationReplacesTheOneAtItsAddressAndMovesToTheEnd() {
    AddressSet set = new AddressSet();
    NodeId a1 = new NodeId("10.0.0.1", 7000, 1);
    NodeId b = new NodeId("10.0.0.2", 7000, 1);
    NodeId a2 = new NodeId("10.0.0.1", 7000, 2);
    NodeId otherPort = new NodeId("10.0.0.1", 7001, 1);
    set.add(a1);
    set.add(b);
    set.add(otherPort);
    assertTrue(set.add(a2));
    assertEquals(List.of(b, otherPort, a2), new ArrayList<>(set));
    assertEquals(a2, set.atAddress(a1));
    assertFalse(set.contains(a1));
    assertFalse(set.remove(a1));
    assertFalse(set.add(a2));
    set.removeAddress(NodeId.contact("10.0.0.1", 7000));
    assertNull(set.atAddress(a2));
    assertEquals(List.of(b, otherPort), new ArrayList<>(set));
  }

  @Test
  void iteratingWhileChangingFails() {
    AddressSet set = new AddressSet();
    set.add(new NodeId("10.0.0.1", 7000, 1));
    set.add(new NodeId("10.0.0.2", 7000, 1));
    Iterator<NodeId> it = set.iterator();
    it.next();
    set.add(new NodeId("10.0.0.3", 7000, 1));
    assertThrows(ConcurrentModificationException.class, it::next);
  }

  /** Random operations against a map by address: same members, same order, same answers. */
  @Test
  void behavesAsAnInsertionOrderedMapByAddress() {
    SplittableRandom random = new SplittableRandom(42);
    for (int round = 0; round < 20; round++) {
      AddressSet set = new AddressSet();
      LinkedHashMap<String, NodeId> model = new LinkedHashMap<>();
      int addresses = 1 + random.nextInt(300);
      for (int op = 0; op < 5_000; op++) {
        NodeId id =
            new NodeId(
                "10.0." + random.nextInt(addresses) / 4 + "." + random.nextInt(4),
                7000 + random.nextInt(2),
                1 + random.nextInt(3));
        String address = id.host() + ":" + id.port();
        switch (random.nextInt(5)) {
          case 0, 1 -> {
            NodeId previous = model.remove(address);
            model.put(address, id);
            assertEquals(!id.equals(previous), set.add(id));
          }
          case 2 -> assertEquals(model.remove(address, id), set.remove(id));
          case 3 -> {
            model.remove(address);
            set.removeAddress(id);
          }
          default -> {
            assertEquals(model.get(address), set.atAddress(id));
            assertEquals(id.equals(model.get(address)), set.contains(id));
          }
        }
        if (random.nextInt(2_000) == 0) {
          model.clear();
          set.clear();
        }
        assertEquals(model.size(), set.size());
      }
      assertEquals(new ArrayList<>(model.values()), new ArrayList<>(set));
    }
  }
}
