package dev.gossip.examples.networktest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A server and a prober on loopback, as on two hosts. */
class NetworkTestTest {

  @Test
  void aProberReachesTheServerIsDialedBackAndMeasuresRttAndThroughput() throws Exception {
    StringWriter serverOut = new StringWriter();
    CommandLine server = new CommandLine(new NetworkTestCommand());
    server.setOut(new PrintWriter(serverOut, true));
    CompletableFuture<Integer> served =
        CompletableFuture.supplyAsync(
            () -> server.execute("--preset", "local", "--port", "0", "--once"));
    Pattern serving = Pattern.compile("serving on (127\\.0\\.0\\.1:\\d+);");
    Matcher m = serving.matcher("");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!m.find() && System.nanoTime() < deadline && !served.isDone()) {
      synchronized (serverOut) {
        serverOut.wait(100);
      }
      m = serving.matcher(serverOut.toString());
    }
    assertTrue(m.find(0), serverOut.toString());

    StringWriter proberOut = new StringWriter();
    CommandLine prober = new CommandLine(new NetworkTestCommand());
    prober.setOut(new PrintWriter(proberOut, true));
    int exit = prober.execute("--preset", "local", "--count", "5", "--messages", "200", m.group(1));
    String out = proberOut.toString();
    assertEquals(0, exit, out + "\nserver:\n" + serverOut);
    assertTrue(out.contains("ok    tcp connect"), out);
    assertTrue(out.contains("dialed back"), out);
    assertTrue(out.contains("rtt over 5 broadcast round trips"), out);
    assertTrue(out.contains("throughput: 200 messages of 1024 bytes"), out);
    assertEquals(0, served.get(30, TimeUnit.SECONDS), serverOut.toString());
  }
}
