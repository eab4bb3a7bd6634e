package dev.gossip.pekko.internal.wire;

import dev.gossip.core.MessageId;
import dev.gossip.core.NodeId;
import dev.gossip.core.message.Ack;
import dev.gossip.core.message.Announcement;
import dev.gossip.core.message.Gossip;
import dev.gossip.core.message.Graft;
import dev.gossip.core.message.IHave;
import dev.gossip.core.message.Ping;
import dev.gossip.core.message.Pong;
import dev.gossip.core.message.Prune;
import dev.gossip.core.message.Recovered;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The hand-written binary bodies of the data path: Gossip, Recovered, IHave, Graft, Prune, Ack,
 * Ping and Pong (the layout is in the module README, byte by byte). They replace CBOR because these
 * frames are most of the traffic; the rare control messages stay on Jackson.
 */
final class PlumtreeBodies {

  /** The fewest bytes an origin group takes: a 1-byte host, port, incarnation and count. */
  private static final int MIN_GROUP_BYTES = 6;

  private PlumtreeBodies() {}

  static boolean handles(Class<?> type) {
    return type == Gossip.class
        || type == Recovered.class
        || type == IHave.class
        || type == Graft.class
        || type == Prune.class
        || type == Ack.class
        || type == Ping.class
        || type == Pong.class;
  }

  /**
   * Writes the body of {@code message}; returns the payload that follows it raw (Gossip and
   * Recovered), or null.
   */
  static byte[] write(Object message, WireWriter out) {
    if (message instanceof Gossip g) {
      writeHeader(out, g.id(), g.round());
      if (g.template() != null) {
        out.nodeId(g.template());
      }
      return g.payload();
    } else if (message instanceof Recovered r) {
      writeHeader(out, r.id(), r.round());
      return r.payload();
    } else if (message instanceof IHave h) {
      writeIds(out, h.announcements(), Announcement::id, Announcement::round);
    } else if (message instanceof Graft g) {
      writeGroup(out, g.origin(), g.ids(), id -> id, null);
    } else if (message instanceof Ack a) {
      writeId(out, a.id());
    } else if (message instanceof Ping p) {
      out.i64(p.sentAt());
    } else if (message instanceof Pong p) {
      out.i64(p.sentAt());
    } else if (message instanceof Prune p) {
      out.nodeId(p.origin());
    } else {
      throw new IllegalArgumentException("no binary body for " + message.getClass().getName());
    }
    return null;
  }

  /**
   * Reads a body of {@code type}; {@code ackRequested} and {@code template} for a Gossip's type
   * code that asks for an ack or names a template. The id lists of IHave and Graft are held to
   * {@code limits} as their counts are read, before their entries are allocated.
   */
  static Object read(
      Class<?> type, boolean ackRequested, boolean template, WireReader in, FrameLimits limits)
      throws FrameException {
    Object message;
    if (type == Gossip.class || type == Recovered.class) {
      MessageId id = readId(in);
      int round = in.varint32();
      NodeId named = template ? in.nodeId() : null;
      byte[] payload = in.rest();
      return type == Gossip.class
          ? new Gossip(id, round, payload, ackRequested, named)
          : new Recovered(id, round, payload);
    } else if (type == IHave.class) {
      message =
          new IHave(
              readIds(in, true, Announcement::new, limits.maxIHaveIds(), "IHave announcements"));
    } else if (type == Graft.class) {
      NodeId origin = in.nodeId();
      message =
          new Graft(
              origin,
              readGroup(
                  in, origin, false, (id, round) -> id, 0, limits.maxGraftIds(), "Graft ids"));
    } else if (type == Ack.class) {
      message = new Ack(readId(in));
    } else if (type == Ping.class) {
      message = new Ping(in.i64());
    } else if (type == Pong.class) {
      message = new Pong(in.i64());
    } else {
      message = new Prune(in.nodeId());
    }
    in.end();
    return message;
  }

  private static void writeHeader(WireWriter out, MessageId id, int round) {
    writeId(out, id);
    out.varint32(round);
  }

  private static void writeId(WireWriter out, MessageId id) {
    out.nodeId(id.origin());
    out.varint(id.sequence());
  }

  private static MessageId readId(WireReader in) throws FrameException {
    NodeId origin = in.nodeId();
    long sequence = in.varint();
    if (sequence < 1) {
      throw WireReader.malformed("sequence " + Long.toUnsignedString(sequence));
    }
    return new MessageId(origin, sequence);
  }

  /**
   * Ids grouped by origin, in order of first appearance: the number of groups, then per group the
   * origin once, the number of ids and per id the zigzag difference from the previous sequence (and
   * the round, if {@code roundOf} is given), so a batch costs a few bytes per id.
   */
  private static <T> void writeIds(
      WireWriter out, List<T> items, Function<T, MessageId> idOf, ToIntFunction<T> roundOf) {
    Map<NodeId, List<T>> byOrigin = new LinkedHashMap<>();
    for (T item : items) {
      byOrigin.computeIfAbsent(idOf.apply(item).origin(), o -> new ArrayList<>()).add(item);
    }
    out.varint(byOrigin.size());
    for (Map.Entry<NodeId, List<T>> group : byOrigin.entrySet()) {
      writeGroup(out, group.getKey(), group.getValue(), idOf, roundOf);
    }
  }

  /** One origin's group: the origin, the number of ids, and per id its sequence (and round). */
  private static <T> void writeGroup(
      WireWriter out,
      NodeId origin,
      List<T> items,
      Function<T, MessageId> idOf,
      ToIntFunction<T> roundOf) {
    out.nodeId(origin);
    out.varint(items.size());
    long previous = 0;
    for (T item : items) {
      long sequence = idOf.apply(item).sequence();
      long delta = sequence - previous;
      out.varint(delta << 1 ^ delta >> 63);
      previous = sequence;
      if (roundOf != null) {
        out.varint32(roundOf.applyAsInt(item));
      }
    }
  }

  /** What an id (and its round) becomes in a decoded list. */
  private interface Entry<T> {
    T of(MessageId id, int round);
  }

  /** Origin groups holding at most {@code limit} ids in all. */
  private static <T> List<T> readIds(
      WireReader in, boolean withRound, Entry<T> entry, int limit, String what)
      throws FrameException {
    int groups = in.count(MIN_GROUP_BYTES);
    List<T> out = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      NodeId origin = in.nodeId();
      List<T> group = readGroup(in, origin, withRound, entry, out.size(), limit, what);
      if (group.isEmpty()) {
        throw WireReader.malformed("an origin group without ids");
      }
      out.addAll(group);
    }
    return out;
  }

  /**
   * The ids of one origin's group, after its origin; with the {@code before} ids of earlier groups,
   * more than {@code limit} refuses the frame.
   */
  private static <T> List<T> readGroup(
      WireReader in,
      NodeId origin,
      boolean withRound,
      Entry<T> entry,
      int before,
      int limit,
      String what)
      throws FrameException {
    int n = in.count(withRound ? 2 : 1);
    if (before + n > limit) {
      throw FrameLimits.tooMany(what, before + n, limit);
    }
    List<T> out = new ArrayList<>(n);
    long sequence = 0;
    for (int i = 0; i < n; i++) {
      long zigzag = in.varint();
      sequence += zigzag >>> 1 ^ -(zigzag & 1);
      if (sequence < 1) {
        throw WireReader.malformed("sequence " + sequence);
      }
      out.add(entry.of(new MessageId(origin, sequence), withRound ? in.varint32() : 0));
    }
    return out;
  }
}
