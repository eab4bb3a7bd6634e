package dev.gossip.bench;

import dev.gossip.bench.cluster.ClusterBenchmark;
import java.util.Arrays;

/**
 * Entry point of the shaded jar: {@code jmh [JMH options]} runs the JMH benchmarks, {@code cluster
 * [--sizes 8,32] [--out file.jsonl] [--preset lan] [--systems gossip,pekko-pubsub,jgroups]
 * [--subscriber actor|source]} the cluster comparison, {@code frames} the frame sizes on the wire.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("frames")) {
      FrameSizes.print();
      return;
    }
    if (args.length == 0 || !(args[0].equals("jmh") || args[0].equals("cluster"))) {
      System.err.println("usage: java -jar gossip-bench.jar jmh [JMH options]");
      System.err.println(
          "       java -jar gossip-bench.jar cluster [--sizes 8,32] [--out f.jsonl]"
              + " [--systems gossip,pekko-pubsub,jgroups] [--subscriber actor|source]");
      System.err.println("       java -jar gossip-bench.jar frames");
      System.exit(2);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(rest);
    } else {
      ClusterBenchmark.main(rest);
    }
  }
}
