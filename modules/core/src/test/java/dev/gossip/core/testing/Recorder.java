package dev.gossip.core.testing;

import dev.gossip.core.Outbox;
import dev.gossip.core.Output;
import java.util.ArrayList;
import java.util.List;

/** An outbox that records outputs in order, for exact-outbox assertions. */
public final class Recorder implements Outbox {
  private final List<Output> outputs = new ArrayList<>();

  @Override
  public void add(Output output) {
    outputs.add(output);
  }

  /** The outputs recorded since the last call, in emission order. */
  public List<Output> take() {
    List<Output> taken = List.copyOf(outputs);
    outputs.clear();
    return taken;
  }
}
