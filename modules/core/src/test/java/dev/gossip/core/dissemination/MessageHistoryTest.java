package dev.gossip.core.dissemination;

import static dev.gossip.core.testing.Nodes.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.gossip.core.MessageHistory;
import dev.gossip.core.MessageId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exact behaviour of the bounds of {@link MessageHistory}, Plumtree's payload cache: count, total
 * payload bytes and age, the oldest going first.
 */
class MessageHistoryTest {

  private static final long RETENTION = 1_000;

  private static MessageId id(int sequence) {
    return new MessageId(node(9), sequence);
  }

  private static byte[] bytes(int length) {
    return new byte[length];
  }

  private static List<MessageId> ids(MessageHistory history) {
    return history.entries().stream().map(MessageHistory.Entry::id).toList();
  }

  @Test
  void storesEntriesWithRoundPayloadAndTimeOldestFirst() {
    MessageHistory history = new MessageHistory(10, 100, RETENTION);
    byte[] first = bytes(3);
    history.put(id(2), 4, first, 10);
    history.put(id(1), 7, bytes(5), 20);

    assertEquals(List.of(id(2), id(1)), ids(history));
    MessageHistory.Entry entry = history.get(id(2));
    assertEquals(id(2), entry.id());
    assertEquals(4, entry.round());
    assertSame(first, entry.payload());
    assertEquals(10, entry.storedAt());
    assertEquals(2, history.size());
    assertEquals(8, history.bytes());
    assertNull(history.get(id(3)));
  }

  @Test
  void countBoundEvictsTheOldestFirst() {
    MessageHistory history = new MessageHistory(2, 100, RETENTION);
    history.put(id(1), 1, bytes(1), 0);
    history.put(id(2), 1, bytes(2), 0);
    history.put(id(3), 1, bytes(3), 0);

    assertEquals(List.of(id(2), id(3)), ids(history));
    assertEquals(5, history.bytes());
    assertNull(history.get(id(1)));
  }

  @Test
  void byteBoundEvictsTheOldestUntilTheTotalFits() {
    MessageHistory history = new MessageHistory(10, 10, RETENTION);
    history.put(id(1), 1, bytes(3), 0);
    history.put(id(2), 1, bytes(3), 0);
    history.put(id(3), 1, bytes(3), 0);
    assertEquals(9, history.bytes());

    // 9 + 8 = 17 > 10: ids 1 and 2 must go (3 + 8 = 11 is still too much for id 2 to stay).
    history.put(id(4), 1, bytes(8), 0);

    assertEquals(List.of(id(4)), ids(history));
    assertEquals(8, history.bytes());
  }

  @Test
  void totalExactlyAtTheByteBoundIsKept() {
    MessageHistory history = new MessageHistory(10, 10, RETENTION);
    history.put(id(1), 1, bytes(4), 0);
    history.put(id(2), 1, bytes(6), 0);

    assertEquals(List.of(id(1), id(2)), ids(history));
    assertEquals(10, history.bytes());
  }

  @Test
  void payloadLargerThanTheByteBoundIsNotStoredAndEvictsNothing() {
    MessageHistory history = new MessageHistory(10, 10, RETENTION);
    history.put(id(1), 1, bytes(4), 0);
    history.put(id(2), 1, bytes(11), 0);

    assertEquals(List.of(id(1)), ids(history));
    assertEquals(4, history.bytes());
    assertNull(history.get(id(2)));
  }

  @Test
  void payloadExactlyTheByteBoundIsStoredAlone() {
    MessageHistory history = new MessageHistory(10, 10, RETENTION);
    history.put(id(1), 1, bytes(4), 0);
    history.put(id(2), 1, bytes(10), 0);

    assertEquals(List.of(id(2)), ids(history));
    assertEquals(10, history.bytes());
  }

  @Test
  void duplicateIdIsIgnoredAndKeepsTheFirstEntry() {
    MessageHistory history = new MessageHistory(10, 100, RETENTION);
    byte[] first = bytes(3);
    history.put(id(1), 2, first, 0);
    history.put(id(2), 2, bytes(1), 5);
    history.put(id(1), 9, bytes(50), 10);

    assertEquals(List.of(id(1), id(2)), ids(history));
    assertEquals(4, history.bytes());
    assertEquals(2, history.get(id(1)).round());
    assertSame(first, history.get(id(1)).payload());
    assertEquals(0, history.get(id(1)).storedAt());
  }

  @Test
  void entryIsExpiredAtExactlyTheRetentionAndKeptOneNanosecondBefore() {
    MessageHistory history = new MessageHistory(10, 100, RETENTION);
    history.put(id(1), 1, bytes(2), 0);
    history.put(id(2), 1, bytes(3), 1);

    history.expire(RETENTION - 1);
    assertEquals(List.of(id(1), id(2)), ids(history));

    history.expire(RETENTION);
    assertEquals(List.of(id(2)), ids(history));
    assertEquals(3, history.bytes());

    history.expire(RETENTION + 1);
    assertEquals(List.of(), ids(history));
    assertEquals(0, history.bytes());
  }

  @Test
  void putExpiresOldEntriesFirst() {
    MessageHistory history = new MessageHistory(10, 100, RETENTION);
    history.put(id(1), 1, bytes(2), 0);
    history.put(id(2), 1, bytes(3), 500);
    history.put(id(3), 1, bytes(4), RETENTION);

    assertEquals(List.of(id(2), id(3)), ids(history));
    assertEquals(7, history.bytes());
  }

  @Test
  void anExpiredIdCanBeStoredAgain() {
    MessageHistory history = new MessageHistory(10, 100, RETENTION);
    history.put(id(1), 1, bytes(2), 0);
    byte[] again = bytes(5);
    history.put(id(1), 3, again, RETENTION);

    assertEquals(List.of(id(1)), ids(history));
    assertEquals(3, history.get(id(1)).round());
    assertSame(again, history.get(id(1)).payload());
    assertEquals(5, history.bytes());
  }

  @Test
  void countAndByteBoundsTogether() {
    MessageHistory history = new MessageHistory(3, 10, RETENTION);
    for (int i = 1; i <= 5; i++) {
      history.put(id(i), 1, bytes(2), i);
    }
    assertEquals(List.of(id(3), id(4), id(5)), ids(history));
    assertEquals(6, history.bytes());

    history.put(id(6), 1, bytes(7), 6);
    assertEquals(List.of(id(5), id(6)), ids(history));
    assertEquals(9, history.bytes());
  }
}
