package dev.gossip.bench.cluster;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * The JVM process's CPU time and the heap bytes its threads have allocated, sampled at one instant;
 * two samples give the cost of what ran between them, benchmark harness, GC and JIT included.
 * Allocation is summed per live thread: a thread that ended between the two samples is missed.
 */
final class ProcessCost {

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final long cpuNanos;
  private final Map<Long, Long> allocatedByThread;

  private ProcessCost(long cpuNanos, Map<Long, Long> allocatedByThread) {
    this.cpuNanos = cpuNanos;
    this.allocatedByThread = allocatedByThread;
  }

  static ProcessCost sample() {
    long[] ids = THREADS.getAllThreadIds();
    long[] bytes = THREADS.getThreadAllocatedBytes(ids);
    Map<Long, Long> allocated = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        allocated.put(ids[i], bytes[i]);
      }
    }
    return new ProcessCost(OS.getProcessCpuTime(), allocated);
  }

  /** The JVM's live threads at this sample. */
  int threads() {
    return allocatedByThread.size();
  }

  /** Process CPU nanoseconds since {@code before}; -1 if the platform does not measure it. */
  long cpuNanosSince(ProcessCost before) {
    return cpuNanos < 0 || before.cpuNanos < 0 ? -1 : cpuNanos - before.cpuNanos;
  }

  /** Bytes allocated since {@code before} by the threads alive now (from 0 for new threads). */
  long allocatedBytesSince(ProcessCost before) {
    long sum = 0;
    for (Map.Entry<Long, Long> e : allocatedByThread.entrySet()) {
      sum += e.getValue() - before.allocatedByThread.getOrDefault(e.getKey(), 0L);
    }
    return sum;
  }
}
