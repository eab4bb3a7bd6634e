package dev.gossip.core;

import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recently delivered messages with their payloads, bounded by count, total payload bytes and age;
 * the oldest go first. Plumtree's payload cache (answers to Graft) and the recovery history
 * (anti-entropy resends) are each one of these.
 */
public final class MessageHistory {

  /** A stored message: its id, the round it was delivered at, and its payload. */
  public record Entry(MessageId id, int round, byte[] payload, long storedAt) {}

  private final int maxCount;
  private final long maxBytes;
  private final long retentionNanos;
  private final LinkedHashMap<MessageId, Entry> entries = new LinkedHashMap<>();
  private long bytes;

  public MessageHistory(int maxCount, long maxBytes, long retentionNanos) {
    this.maxCount = maxCount;
    this.maxBytes = maxBytes;
    this.retentionNanos = retentionNanos;
  }

  /** Stores a message unless it is already stored or alone larger than the byte bound. */
  public void put(MessageId id, int round, byte[] payload, long now) {
    expire(now);
    if (payload.length > maxBytes || entries.containsKey(id)) {
      return;
    }
    entries.put(id, new Entry(id, round, payload, now));
    bytes += payload.length;
    Iterator<Entry> oldest = entries.values().iterator();
    while (entries.size() > maxCount || bytes > maxBytes) {
      bytes -= oldest.next().payload().length;
      oldest.remove();
    }
  }

  public Entry get(MessageId id) {
    return entries.get(id);
  }

  /** Drops entries older than the retention. */
  public void expire(long now) {
    Iterator<Map.Entry<MessageId, Entry>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Entry e = it.next().getValue();
      if (now - e.storedAt() < retentionNanos) {
        return;
      }
      bytes -= e.payload().length;
      it.remove();
    }
  }

  /** The stored messages, oldest first. */
  public Collection<Entry> entries() {
    return Collections.unmodifiableCollection(entries.values());
  }

  public int size() {
    return entries.size();
  }

  public long bytes() {
    return bytes;
  }
}
