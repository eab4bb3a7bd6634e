package dev.gossip.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The order in which a {@link ProtocolNode}'s roles take the inputs and events meant for them. Each
 * queued item is a pair (role, input): an input with several handlers is queued once per handler,
 * in {@link Routing}'s order.
 */
public abstract sealed class Composition {

  /**
   * Every event is handled in the order it was emitted, each by all its handlers in turn, within
   * the same call: the paper's single state machine per node.
   */
  public static Composition synchronous() {
    return new Synchronous();
  }

  /**
   * One FIFO mailbox per role, as the runtime's actors have: each step takes the head of a mailbox
   * chosen at random among the non-empty ones, so events between roles (and a peer message's copies
   * for the heartbeat and another role) are reordered against each other as actors running in
   * parallel reorder them, while each role still sees its own inputs in arrival order. Drawn from
   * {@code interleaving}, so one seed replays one interleaving.
   */
  public static Composition mailboxes(RandomGenerator interleaving) {
    return new Mailboxes(interleaving);
  }

  abstract void add(Role role, Input input);

  /** The next role to run, or null when nothing is queued; its input is then {@link #input()}. */
  abstract Role poll();

  abstract Input input();

  abstract void clear();

  private static final class Synchronous extends Composition {
    private final ArrayDeque<Role> roles = new ArrayDeque<>();
    private final ArrayDeque<Input> inputs = new ArrayDeque<>();
    private Input polled;

    @Override
    void add(Role role, Input input) {
      roles.add(role);
      inputs.add(input);
    }

    @Override
    Role poll() {
      polled = inputs.poll();
      return roles.poll();
    }

    @Override
    Input input() {
      return polled;
    }

    @Override
    void clear() {
      roles.clear();
      inputs.clear();
      polled = null;
    }
  }

  private static final class Mailboxes extends Composition {
    private static final Role[] ROLES = Role.values();

    private final RandomGenerator interleaving;
    private final List<ArrayDeque<Input>> mailboxes = new ArrayList<>();
    private int queued;
    private Input polled;

    Mailboxes(RandomGenerator interleaving) {
      this.interleaving = interleaving;
      for (int i = 0; i < ROLES.length; i++) {
        mailboxes.add(new ArrayDeque<>());
      }
    }

    @Override
    void add(Role role, Input input) {
      mailboxes.get(role.ordinal()).add(input);
      queued++;
    }

    @Override
    Role poll() {
      if (queued == 0) {
        polled = null;
        return null;
      }
      int nonEmpty = 0;
      for (ArrayDeque<Input> mailbox : mailboxes) {
        if (!mailbox.isEmpty()) {
          nonEmpty++;
        }
      }
      int pick = nonEmpty == 1 ? 0 : interleaving.nextInt(nonEmpty);
      for (int i = 0; i < ROLES.length; i++) {
        ArrayDeque<Input> mailbox = mailboxes.get(i);
        if (!mailbox.isEmpty() && pick-- == 0) {
          queued--;
          polled = mailbox.poll();
          return ROLES[i];
        }
      }
      throw new IllegalStateException("a non-empty mailbox was not found");
    }

    @Override
    Input input() {
      return polled;
    }

    @Override
    void clear() {
      for (ArrayDeque<Input> mailbox : mailboxes) {
        mailbox.clear();
      }
      queued = 0;
      polled = null;
    }
  }
}
