package dev.gossip.pekko.internal.wire;

import com.typesafe.config.ConfigFactory;
import dev.gossip.pekko.NodeSettings;

/** The frame limits of the default settings, for tests that decode frames. */
public final class DefaultFrameLimits {

  /** With the local preset, which needs no TLS key material. */
  public static final FrameLimits LIMITS =
      new FrameLimits(
          NodeSettings.load(
                  ConfigFactory.parseString("gossip.preset = local")
                      .withFallback(ConfigFactory.load())
                      .resolve())
              .transport()
              .limits());

  private DefaultFrameLimits() {}
}
