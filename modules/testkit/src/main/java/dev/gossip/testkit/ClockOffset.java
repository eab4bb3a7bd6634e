package dev.gossip.testkit;

/**
 * How far a remote host's wall clock is ahead of this one, estimated as NTP does from round trips
 * over the control channel: a request sent at local time {@code t0}, answered with the remote time
 * {@code r}, received at {@code t1}, says the remote clock read {@code r} at about {@code (t0 + t1)
 * / 2}, give or take half the round trip. The sample with the shortest round trip is kept, as the
 * one least bent by queueing on the way.
 */
final class ClockOffset {

  private long bestRoundTrip = Long.MAX_VALUE;
  private long offset;

  /** Adds one round trip; all times in microseconds. */
  void sample(long t0, long remote, long t1) {
    if (t1 < t0) {
      throw new IllegalArgumentException("received at " + t1 + " before sent at " + t0);
    }
    long roundTrip = t1 - t0;
    if (roundTrip < bestRoundTrip) {
      bestRoundTrip = roundTrip;
      offset = remote - (t0 + (roundTrip / 2));
    }
  }

  /** Remote clock minus local clock, microseconds (0 before any sample). */
  long micros() {
    return offset;
  }

  /** The most {@link #micros} can be off by: half the shortest round trip, microseconds. */
  long uncertaintyMicros() {
    if (bestRoundTrip == Long.MAX_VALUE) {
      throw new IllegalStateException("no sample yet");
    }
    return (bestRoundTrip + 1) / 2;
  }
}
