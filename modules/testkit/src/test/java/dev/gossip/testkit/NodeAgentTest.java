package dev.gossip.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gossip.core.MessageId;
import dev.gossip.testkit.Scenario.Network;
import dev.gossip.testkit.Scenario.Plan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@link ProcessCluster} across {@link NodeAgent}s, each agent a process of its own on loopback
 * as it would be on a host of its own: the scenario with every fault, and an agent's answers to
 * lines it must refuse.
 */
class NodeAgentTest {

  private static final List<Agent> AGENTS = new ArrayList<>();

  /** An agent process, the port it listens on, and the file its standard error goes to. */
  record Agent(Process process, String address, Path errors) {}

  @BeforeAll
  static void startAgents() throws IOException {
    for (int i = 0; i < 3; i++) {
      AGENTS.add(startAgent("127.0.0.1", List.of()));
    }
  }

  @AfterAll
  static void stopAgents() throws InterruptedException {
    for (Agent agent : AGENTS) {
      agent.process().destroyForcibly().waitFor();
    }
  }

  /** Starts an agent on {@code bind}, port 0, behind {@code prefix} (e.g. ip netns exec). */
  static Agent startAgent(String bind, List<String> prefix) throws IOException {
    Path errors = Files.createTempFile("gossip-agent-", ".err");
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            NodeAgent.class.getName(),
            "--bind",
            bind,
            "--port",
            "0"));
    for (String option : ProcessScenarioTest.jvmOptions()) {
      command.add("--jvm-option");
      command.add(option);
    }
    Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    ProcessCluster.adopt(process);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    String prefixText = "gossip node agent listening on ";
    if (first == null || !first.startsWith(prefixText)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "the agent said " + first + ": " + Files.readString(errors, StandardCharsets.UTF_8));
    }
    // Its further output is two lines at most: the pipe cannot fill.
    return new Agent(process, first.substring(prefixText.length()), errors);
  }

  @Test
  void theScenarioRunsAcrossAgents() {
    Plan plan =
        new Plan(
            4,
            1,
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            Duration.ofMillis(100),
            Network.NONE);
    List<String> agents = AGENTS.stream().map(Agent::address).toList();
    try (ProcessCluster cluster =
        ProcessCluster.builder()
            .agents(agents)
            .nodes(plan.nodes())
            .config("pekko.loglevel = WARNING")
            .start()) {
      for (ProcessNode node : cluster.nodes()) {
        assertTrue(node.agent().isPresent(), node + " runs under an agent");
        long error = Math.abs(node.clockOffset().toNanos());
        assertTrue(
            error <= node.clockUncertainty().plusMillis(1).toNanos(),
            node + ": one clock, so the offset is 0 within the uncertainty: " + node.clockOffset());
      }
      History.Report report = Scenario.run(cluster, plan, System.out);
      assertTrue(report.ok(), report::toString);
      assertTrue(
          report.phases().stream().skip(1).allMatch(p -> p.expected() > 0),
          "every phase owes deliveries: " + report);
    }
  }

  /**
   * Agents in network namespaces of their own, as on hosts of their own: the nodes listen on and
   * advertise their host's address, and the test reaches the agents over the bridge.
   */
  @Test
  void agentsOnAddressesOfTheirOwn() throws IOException, InterruptedException {
    ProcessCluster.kernelNetworkUnavailable()
        .ifPresent(reason -> Assumptions.abort("skipped: " + reason));
    List<Agent> agents = new ArrayList<>();
    try (KernelNetwork network = new KernelNetwork()) {
      try {
        for (int i = 0; i < 2; i++) {
          KernelNetwork.Host host = network.addHost();
          agents.add(startAgent(host.address(), KernelNetwork.exec(host)));
        }
        runOn(agents);
      } finally {
        // Before the network goes: nothing may be left running in its namespaces.
        for (Agent agent : agents) {
          agent.process().destroyForcibly().waitFor();
        }
      }
    }
  }

  private static void runOn(List<Agent> agents) {
    try (ProcessCluster cluster =
        ProcessCluster.builder()
            .agents(agents.stream().map(Agent::address).toList())
            .nodes(4)
            .start()) {
      cluster.awaitConnected(Duration.ofSeconds(60));
      for (ProcessNode node : cluster.nodes()) {
        String agent = node.agent().orElseThrow();
        assertEquals(
            agent.substring(0, agent.lastIndexOf(':')), node.id().host(), node + " on its host");
      }
      List<MessageId> first =
          cluster.nodes().stream().map(n -> n.broadcast("from " + n.name())).toList();
      // n3 is killed below: what it sent must have left it first, or it is owed nowhere.
      cluster.awaitDelivered(first, Duration.ofSeconds(60));
      cluster.freeze(cluster.node(1));
      cluster.node(0).broadcast("while n1 is stopped");
      cluster.thaw(cluster.node(1));
      cluster.kill(cluster.node(3));
      cluster.node(2).broadcast("after the kill");
      cluster.awaitAllDelivered(Duration.ofSeconds(60));
      History.Report report = cluster.check();
      assertTrue(report.ok(), report::toString);
    }
  }

  @Test
  void malformedLinesAreRefusedCountedAndTheAgentServesOn() throws IOException {
    Agent agent = AGENTS.get(0);
    int colon = agent.address().lastIndexOf(':');
    try (Socket socket =
        new Socket(
            InetAddress.getByName(agent.address().substring(0, colon)),
            Integer.parseInt(agent.address().substring(colon + 1)))) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String tooLong = "broadcast 9 " + "A".repeat(Control.MAX_LINE);
      List<String> lines =
          List.of(
              "hello",
              "clock x",
              "start 1 ../../etc/passwd -",
              "start 2 n0",
              tooLong,
              "signal 3 STOP",
              "broadcast 4 aGk=",
              "rm 5 -rf",
              "clock 6");
      for (String line : lines) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
      List<String> expected =
          List.of(
              "err ? rejected: not <command> <seq>",
              "err ? rejected: not <command> <seq>",
              "err 1 rejected: not a node name",
              "err 2 rejected: start takes 2 argument(s), not 1",
              "err ? rejected: a line of",
              "err 3 rejected: no node started",
              "err 4 rejected: no node started",
              "err 5 rejected: unknown command rm",
              "ok 6 ");
      for (String prefix : expected) {
        String reply = in.readLine();
        assertTrue(
            reply != null && reply.startsWith(prefix), "expected " + prefix + ", got " + reply);
      }
    }
    // The agent logs a refusal before it answers it: every one is in its log by now.
    List<String> refusals =
        Files.readAllLines(agent.errors(), StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith("rejected from 127.0.0.1: "))
            .toList();
    assertEquals(8, refusals.size(), String.join("\n", refusals));
    assertTrue(refusals.get(7).endsWith("(8 so far)"), refusals.get(7));
  }
}
