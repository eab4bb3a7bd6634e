package dev.gossip.pekko.internal.wire;

/**
 * Runtime-only records carried in frames, bound to the gossip CBOR serializer in reference.conf.
 */
public interface WireRecord {}
