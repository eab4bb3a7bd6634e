package dev.gossip.pekko.internal.wire;

import dev.gossip.core.message.Digest;
import dev.gossip.core.message.OriginSummary;
import dev.gossip.core.message.Shuffle;
import dev.gossip.core.message.ShuffleReply;
import dev.gossip.pekko.DropReason;
import dev.gossip.pekko.NodeSettings;
import java.util.List;

/**
 * The collection sizes a peer may put in one frame ({@link NodeSettings.PeerLimits}): the frame
 * size bounds the bytes of a frame, these bound the work and state one frame can cost the roles
 * (ids to track, nodes to merge, payloads to resend, digest entries to compare). The id lists of
 * IHave and Graft are held to them as the decoder reads their counts, before it allocates an entry
 * (a frame of small ids would otherwise decode into many times its size in objects); the CBOR
 * bodies (Shuffle, ShuffleReply, Digest) are checked once decoded, before the protocol sees them.
 * Every other message carries no collection.
 */
public final class FrameLimits {

  private final NodeSettings.PeerLimits limits;

  public FrameLimits(NodeSettings.PeerLimits limits) {
    this.limits = limits;
  }

  int maxIHaveIds() {
    return limits.maxIHaveIdsPerFrame();
  }

  int maxGraftIds() {
    return limits.maxGraftIdsPerFrame();
  }

  /** Returns the frames decoded from one chunk, or refuses the first that is over a limit. */
  public List<Object> check(List<Object> decoded) throws FrameException {
    for (Object frame : decoded) {
      check(frame);
    }
    return decoded;
  }

  /** Refuses a decoded CBOR frame with more entries than its limit. */
  public void check(Object frame) throws FrameException {
    if (frame instanceof Shuffle s) {
      within("Shuffle nodes", s.nodes().size(), limits.maxShuffleEntriesPerFrame());
    } else if (frame instanceof ShuffleReply r) {
      within("ShuffleReply nodes", r.nodes().size(), limits.maxShuffleEntriesPerFrame());
    } else if (frame instanceof Digest d) {
      within("Digest origins", d.origins().size(), limits.maxDigestOriginsPerFrame());
      for (OriginSummary origin : d.origins()) {
        within("Digest gaps of one origin", origin.gaps().size(), limits.maxDigestGapsPerOrigin());
      }
    }
  }

  private static void within(String what, int entries, int limit) throws FrameException {
    if (entries > limit) {
      throw tooMany(what, entries, limit);
    }
  }

  static FrameException tooMany(String what, int entries, int limit) {
    return new FrameException(
        DropReason.TOO_MANY_ENTRIES, entries + " " + what + ", limit " + limit);
  }
}
