package dev.gossip.examples.chat;

import dev.gossip.core.DownReason;
import dev.gossip.core.NodeId;
import dev.gossip.examples.chat.ChatMessage.Kind;
import dev.gossip.pekko.Gossip;
import dev.gossip.pekko.GossipEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Status;

/**
 * One chat participant on a terminal: reads lines and commands, broadcasts each line, and prints
 * above the prompt every delivery (sender, origin address, hops, latency) and every change of the
 * active view as it happens. A status bar (on terminals that support one) shows the views.
 */
final class ChatSession {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());
  private static final AttributedStyle DIM = AttributedStyle.DEFAULT.faint();
  private static final AttributedStyle NAME = AttributedStyle.BOLD.foreground(AttributedStyle.CYAN);
  private static final AttributedStyle UP =
      AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
  private static final AttributedStyle DOWN =
      AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
  private static final AttributedStyle ERROR =
      AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);

  /** Older than this, a delivery is a catch-up (anti-entropy from the history), not news. */
  private static final long LATE_MILLIS = 5_000;

  /** Characters per line of {@code /stats}. */
  private static final int STATS_WIDTH = 100;

  private final Gossip gossip;
  private final ActorSystem<?> system;
  private final String name;
  private final List<String> contacts;
  private final Terminal terminal;
  private final Clock clock;
  private final LineReader reader;
  private final Status status;

  /** The active view, in the order peers came up; fed by NeighborUp and NeighborDown. */
  private final Set<NodeId> activeView = Collections.synchronizedSet(new LinkedHashSet<>());

  /** Chat names learnt from HELLO, HERE and TEXT messages, in the order they were learnt. */
  private final Map<NodeId, String> names = Collections.synchronizedMap(new LinkedHashMap<>());

  /** Who /peers lists besides this node: the members heard from recently. */
  private final Members members;

  /** The node's meters for /stats. */
  private final MeterReport meters;

  private final AtomicBoolean announced = new AtomicBoolean();

  /** Set on /quit: the screen belongs to the shell again, so late events are not shown. */
  private final AtomicBoolean quitting = new AtomicBoolean();

  ChatSession(
      Gossip gossip,
      ActorSystem<?> system,
      String name,
      List<String> contacts,
      Terminal terminal,
      Clock clock) {
    this.gossip = gossip;
    this.system = system;
    this.name = name;
    this.contacts = List.copyOf(contacts);
    this.terminal = terminal;
    this.clock = clock;
    this.reader = LineReaderBuilder.builder().terminal(terminal).appName("gossip-chat").build();
    this.status = Status.getStatus(terminal);
    this.members = new Members(clock);
    this.meters = new MeterReport(gossip::metrics);
    names.put(gossip.self(), name);
  }

  /** Runs until /quit, end of input or Ctrl-C. */
  void run() {
    String self = address(gossip.self());
    println(
        new AttributedStringBuilder()
            .append("gossip chat: ")
            .styled(NAME, name)
            .append(" on " + self)
            .toAttributedString());
    if (contacts.isEmpty()) {
      println("bootstrap node: others join with  chat --join " + self + " NAME");
    } else {
      println("joining through " + String.join(", ", contacts) + " ...");
    }
    println(
        styled(
            DIM,
            "commands: /peers /stats /quit; anything else is broadcast. Latency is wall-clock"
                + " send-to-delivery time: exact on one machine, approximate across hosts (clock"
                + " skew)."));
    gossip.events().runForeach(this::onEvent, system);
    gossip.join(contacts).whenComplete((done, error) -> onJoined(error));
    Cancellable refresh =
        system
            .scheduler()
            .scheduleAtFixedRate(
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                this::updateStatus,
                system.executionContext());
    try {
      while (true) {
        String line = reader.readLine(name + "> ").strip();
        if (line.equals("/quit")) {
          break;
        } else if (line.equals("/peers")) {
          printPeers();
        } else if (line.equals("/stats")) {
          printStats();
        } else if (line.startsWith("/")) {
          println(styled(ERROR, "unknown command " + line + "; commands: /peers /stats /quit"));
        } else if (!line.isEmpty()) {
          send(new ChatMessage(Kind.TEXT, name, clock.millis(), line));
        }
      }
    } catch (EndOfFileException | UserInterruptException e) {
      // Ctrl-D or Ctrl-C: leave like /quit.
    } finally {
      quitting.set(true);
      refresh.cancel();
      status.hide();
      status.close();
      try {
        // The neighbours hear of it before the process ends.
        gossip.leave().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // Leaving anyway: the neighbours see the link drop instead.
      }
      terminal.writer().println("left the overlay");
      terminal.flush();
    }
  }

  private void onJoined(Throwable error) {
    if (error == null) {
      announce();
    } else {
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      println(styled(ERROR, cause.getMessage() + " (still retrying in the background)"));
    }
  }

  /** Broadcasts this node's name once, as soon as the node has joined or has a neighbour. */
  private void announce() {
    if (announced.compareAndSet(false, true)) {
      if (!contacts.isEmpty()) {
        println(styled(UP, "joined the overlay"));
      }
      send(new ChatMessage(Kind.HELLO, name, clock.millis(), ""));
    }
  }

  private void send(ChatMessage message) {
    gossip
        .broadcast(message.encode())
        .whenComplete(
            (id, error) -> {
              if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                println(styled(ERROR, "not sent: " + cause.getMessage()));
              }
            });
  }

  private void onEvent(GossipEvent event) {
    if (quitting.get()) {
      return;
    }
    if (event instanceof GossipEvent.Delivery d) {
      onDelivery(d);
    } else if (event instanceof GossipEvent.NeighborUp up) {
      activeView.add(up.peer());
      members.heard(up.peer());
      announce();
      println(
          new AttributedStringBuilder()
              .styled(DIM, time(clock.instant()) + "  ")
              .styled(UP, "+ " + who(up.peer()) + " joined the active view  ")
              .styled(DIM, views())
              .toAttributedString());
      updateStatus();
    } else if (event instanceof GossipEvent.NeighborDown down) {
      activeView.remove(down.peer());
      if (down.reason() == DownReason.LEFT) {
        members.left(down.peer());
      }
      println(
          new AttributedStringBuilder()
              .styled(DIM, time(clock.instant()) + "  ")
              .styled(
                  DOWN,
                  "- "
                      + who(down.peer())
                      + " left the active view ("
                      + down.reason().name().toLowerCase(Locale.ROOT)
                      + ")  ")
              .styled(DIM, views())
              .toAttributedString());
      updateStatus();
    } else if (event instanceof GossipEvent.Missed m) {
      println(styled(ERROR, "the screen fell behind: " + m.count() + " events not shown"));
    }
  }

  private void onDelivery(GossipEvent.Delivery d) {
    ChatMessage message;
    try {
      message = ChatMessage.decode(d.payload());
    } catch (IllegalArgumentException e) {
      println(styled(ERROR, "a message from " + address(d.origin()) + " that is not chat"));
      return;
    }
    boolean own = d.origin().equals(gossip.self());
    if (!own) {
      members.heard(d.origin());
    }
    String known = names.put(d.origin(), message.name());
    // A HELLO can come twice (a late copy through anti-entropy); a name is announced once.
    if (message.kind() != Kind.TEXT && !own && known == null) {
      println(
          new AttributedStringBuilder()
              .styled(DIM, time(clock.instant()) + "  ")
              .append("* ")
              .styled(NAME, message.name())
              .append(" is here (" + address(d.origin()) + ")")
              .styled(DIM, trail(d, message))
              .toAttributedString());
      if (message.kind() == Kind.HELLO) {
        send(new ChatMessage(Kind.HERE, name, clock.millis(), ""));
      }
    } else if (message.kind() == Kind.TEXT && !own) {
      println(
          new AttributedStringBuilder()
              .styled(DIM, time(clock.instant()) + "  ")
              .styled(NAME, message.name())
              .append(": " + message.text())
              .styled(DIM, trail(d, message))
              .toAttributedString());
    }
  }

  /** "(from 127.0.0.1:7355, 2 hops, 3 ms)". */
  private String trail(GossipEvent.Delivery d, ChatMessage message) {
    long latency = clock.millis() - message.sentAtMillis();
    return "   (from "
        + address(d.origin())
        + ", "
        + d.hops()
        + (d.hops() == 1 ? " hop, " : " hops, ")
        + (latency < 0
            ? "clock skew " + latency + " ms"
            : latency < LATE_MILLIS ? latency + " ms" : "sent " + latency / 1000 + " s ago")
        + ")";
  }

  private void printPeers() {
    List<String> active = new ArrayList<>();
    synchronized (activeView) {
      for (NodeId peer : activeView) {
        active.add(who(peer));
      }
    }
    println("active view (" + active.size() + "): " + String.join(", ", active));
    List<String> passive = new ArrayList<>();
    for (NodeId peer : gossip.membership().passiveView()) {
      passive.add(who(peer));
    }
    println("passive view (" + passive.size() + ", backups): " + String.join(", ", passive));
    List<String> listed = new ArrayList<>();
    listed.add(name + " (you)");
    Set<NodeId> neighbours;
    synchronized (activeView) {
      neighbours = Set.copyOf(activeView);
    }
    for (NodeId member : members.current(neighbours)) {
      listed.add(who(member));
    }
    println(
        "known members ("
            + listed.size()
            + "): "
            + String.join(", ", listed)
            + "  (heard from in the last "
            + Members.FORGET_AFTER.toMinutes()
            + " min, or neighbours; members that left are dropped)");
  }

  /** The node's metrics, read through Micrometer as an application would export them. */
  private void printStats() {
    println(
        styled(DIM, "metrics through Micrometer (gossip-micrometer on a SimpleMeterRegistry):"));
    for (String line : meters.lines(STATS_WIDTH)) {
      println(line);
    }
  }

  private void updateStatus() {
    if (quitting.get()) {
      return;
    }
    status.update(
        List.of(
            new AttributedStringBuilder()
                .styled(AttributedStyle.INVERSE, " " + name + " @ " + address(gossip.self()) + " ")
                .append("  " + views())
                .toAttributedString()));
  }

  private String views() {
    List<String> active = new ArrayList<>();
    synchronized (activeView) {
      for (NodeId peer : activeView) {
        active.add(names.getOrDefault(peer, address(peer)));
      }
    }
    return "[active "
        + active.size()
        + (active.isEmpty() ? "" : ": " + String.join(", ", active))
        + " | passive "
        + gossip.metrics().passiveViewSize()
        + "]";
  }

  /** "bob (127.0.0.1:41234)" once the name is known, else the address. */
  private String who(NodeId peer) {
    String n = names.get(peer);
    return n == null ? address(peer) : n + " (" + address(peer) + ")";
  }

  private static String address(NodeId id) {
    return id.host() + ":" + id.port();
  }

  private static String time(Instant instant) {
    return TIME.format(instant);
  }

  private static AttributedString styled(AttributedStyle style, String text) {
    return new AttributedString(text, style);
  }

  private void println(String text) {
    reader.printAbove(text);
  }

  private void println(AttributedString text) {
    reader.printAbove(text);
  }
}
