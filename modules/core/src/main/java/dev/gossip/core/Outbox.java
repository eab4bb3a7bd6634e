package dev.gossip.core;

/** Where a role pushes its outputs; the driver drains it in order after each input. */
@FunctionalInterface
public interface Outbox {
  void add(Output output);
}
