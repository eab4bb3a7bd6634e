package dev.gossip.examples.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Two chat processes' worth of nodes, each on a terminal whose keyboard and screen the test holds.
 */
class ChatTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private Screen alice;
  private Screen bob;

  @AfterEach
  void quit() throws Exception {
    for (Screen s : new Screen[] {bob, alice}) {
      if (s != null) {
        s.close();
      }
    }
  }

  @Test
  void aLineTypedInOneChatAppearsInTheOtherWithTheSendersNameAndPeersListsTheOther()
      throws Exception {
    alice = Screen.start("--preset", "local", "--port", "0", "alice");
    String aliceAddress =
        alice.await(Pattern.compile("alice on (127\\.0\\.0\\.1:\\d+)[\\r\\n]")).group(1);
    alice.await(Pattern.compile("bootstrap node"));

    bob = Screen.start("--preset", "local", "--join", aliceAddress, "bob");
    bob.await(Pattern.compile("joined the overlay"));
    alice.await(Pattern.compile("\\* bob is here"));
    bob.await(Pattern.compile("\\* alice is here"));

    bob.type("hello from bob");
    Matcher line =
        alice.await(
            Pattern.compile(
                "bob: hello from bob +\\(from 127\\.0\\.0\\.1:(\\d+), 1 hop, \\d+ ms\\)"));
    assertTrue(Integer.parseInt(line.group(1)) > 0);

    alice.type("/peers");
    alice.await(Pattern.compile("active view \\(1\\): bob \\(127\\.0\\.0\\.1:\\d+\\)"));
    alice.await(Pattern.compile("passive view \\(\\d+, backups\\): "));
    alice.await(Pattern.compile("known members \\(2\\): alice \\(you\\), bob"));

    bob.type("/stats");
    bob.await(Pattern.compile("metrics through Micrometer"));
    bob.await(Pattern.compile("gossip\\.active\\.view\\.size 1"));
    bob.await(Pattern.compile("gossip\\.delivered [1-9]"));

    bob.type("/quit");
    bob.awaitExit();
    // The chat waits for leave() to complete before it ends: alice hears that bob left.
    alice.await(
        Pattern.compile("- bob \\(127\\.0\\.0\\.1:\\d+\\) left the active view \\(left\\)"));
  }

  @Test
  void aPortInUseIsOneLineNamingThePortFlagAndExitStatusOne() throws Exception {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(logged);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      alice = Screen.start("--preset", "local", "--port", "" + taken.getLocalPort(), "alice");
      assertEquals(1, alice.exitCode());
      assertEquals(
          "cannot listen on 127.0.0.1:"
              + taken.getLocalPort()
              + ": the port is in use; choose another with --port (0 picks a free one)"
              + System.lineSeparator(),
          alice.errors());
      assertEquals("", alice.text());
      assertEquals(
          List.of(),
          List.copyOf(logged.list).stream()
              .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
              .map(ILoggingEvent::getFormattedMessage)
              .toList());
    } finally {
      root.detachAppender(logged);
    }
  }

  /** A chat running on a dumb terminal over pipes: what the test types, and what it shows. */
  private static final class Screen {
    private final PipedOutputStream keyboard;
    private final ByteArrayOutputStream shown;
    private final CompletableFuture<Integer> exit;
    private final StringWriter errors;

    private Screen(
        PipedOutputStream keyboard,
        ByteArrayOutputStream shown,
        CompletableFuture<Integer> exit,
        StringWriter errors) {
      this.keyboard = keyboard;
      this.shown = shown;
      this.exit = exit;
      this.errors = errors;
    }

    static Screen start(String... args) throws IOException {
      PipedOutputStream keyboard = new PipedOutputStream();
      PipedInputStream input = new PipedInputStream(keyboard, 64 * 1024);
      ByteArrayOutputStream shown = new ByteArrayOutputStream();
      OutputStream output =
          new OutputStream() {
            @Override
            public void write(int b) {
              synchronized (shown) {
                shown.write(b);
                shown.notifyAll();
              }
            }

            @Override
            public void write(byte[] b, int off, int len) {
              synchronized (shown) {
                shown.write(b, off, len);
                shown.notifyAll();
              }
            }
          };
      // A dumb terminal writes through on the caller's thread; the builder's pty terminal copies
      // output on a pump thread that closing does not wait for, so the last lines could be lost.
      Terminal terminal = new DumbTerminal("chat", Terminal.TYPE_DUMB, input, output, UTF_8);
      ChatCommand command = new ChatCommand();
      StringWriter errors = new StringWriter();
      new CommandLine(command).setErr(new PrintWriter(errors, true)).parseArgs(args);
      CompletableFuture<Integer> exit = new CompletableFuture<>();
      Thread thread =
          new Thread(
              () -> {
                try {
                  int code;
                  // Closed first, so that everything the chat wrote is on the screen at exit.
                  try (terminal) {
                    code = command.run(terminal);
                  }
                  exit.complete(code);
                } catch (Throwable e) {
                  exit.completeExceptionally(e);
                }
              },
              "chat-" + args[args.length - 1]);
      thread.setDaemon(true);
      thread.start();
      return new Screen(keyboard, shown, exit, errors);
    }

    /** What the chat wrote to its error stream (the shell's, not the chat's screen). */
    String errors() {
      return errors.toString();
    }

    String text() {
      synchronized (shown) {
        return shown.toString(UTF_8);
      }
    }

    void type(String line) throws IOException {
      keyboard.write((line + "\n").getBytes(UTF_8));
      keyboard.flush();
    }

    /** Waits until the screen shows a match of {@code pattern}; fails with the screen if not. */
    Matcher await(Pattern pattern) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        Matcher m = pattern.matcher(text());
        if (m.find()) {
          return m;
        }
        if (exit.isDone()) {
          break;
        }
        synchronized (shown) {
          // Woken by every write to the screen; the timeout only rechecks the deadline.
          shown.wait(100);
        }
      }
      return fail(
          "the screen never showed /" + pattern + "/; it shows:\n" + text().replace('\r', '\n'));
    }

    int exitCode() throws Exception {
      return exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    void awaitExit() throws Exception {
      exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    void close() throws Exception {
      if (!exit.isDone()) {
        type("/quit");
        awaitExit();
      }
    }
  }
}
