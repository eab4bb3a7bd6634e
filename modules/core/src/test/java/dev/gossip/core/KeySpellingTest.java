package dev.gossip.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KeySpellingTest {

  @Test
  void countsInsertionsDeletionsAndSubstitutions() {
    assertEquals(0, KeySpelling.distance("multi.senders", "multi.senders"));
    assertEquals(1, KeySpelling.distance("multi.sender", "multi.senders"));
    assertEquals(1, KeySpelling.distance("multi.senders", "multi.sender"));
    assertEquals(1, KeySpelling.distance("shuffle-interval", "shuffle-intervel"));
    assertEquals(2, KeySpelling.distance("ab", "ba"));
    assertEquals(3, KeySpelling.distance("", "abc"));
    assertEquals(3, KeySpelling.distance("kitten", "sitting"));
  }
}
