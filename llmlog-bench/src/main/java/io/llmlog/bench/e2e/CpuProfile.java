package io.llmlog.bench.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the process's CPU time goes, by thread group: the engine's pools ({@code write},
 * {@code refresh}, {@code transport_worker}, ...), the carrier threads that run llmlog's virtual
 * request threads and the HTTP clients' tasks ({@code ForkJoinPool}), the load generator, and what
 * no Java thread accounts for — the garbage collector, the JIT compilers and other JVM threads,
 * as process CPU minus the Java threads' sum. A coarse profile that needs no agent.
 */
final class CpuProfile {
  static final String NATIVE = "GC, JIT and other JVM threads";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<String, Long> nanos;
  private final long process;

  private CpuProfile(Map<String, Long> nanos, long process) {
    this.nanos = nanos;
    this.process = process;
  }

  static CpuProfile snapshot() {
    Map<String, Long> groups = new TreeMap<>();
    long[] ids = THREADS.getAllThreadIds();
    for (ThreadInfo info : THREADS.getThreadInfo(ids)) {
      if (info == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu > 0) {
        groups.merge(group(info.getThreadName()), cpu, Long::sum);
      }
    }
    return new CpuProfile(groups, Loader.processCpuNanos());
  }

  /** {@code opensearch[llmlog-embedded][write][T#2]} → {@code engine write}; digits dropped elsewhere. */
  static String group(String name) {
    if (name.startsWith("opensearch[")) {
      int open = name.indexOf("][");
      int close = open < 0 ? -1 : name.indexOf(']', open + 2);
      return "engine " + (close < 0 ? name : name.substring(open + 2, close));
    }
    if (name.startsWith("ForkJoinPool")) {
      return "virtual-thread carriers (llmlog handlers, HTTP clients)";
    }
    if (name.startsWith("llmlog-http")) {
      return "llmlog Jetty threads";
    }
    return name.replaceAll("[0-9]+", "#");
  }

  /** CPU spent between {@code before} and this snapshot, by group, largest first, with the JVM's own threads last. */
  Map<String, Long> since(CpuProfile before) {
    Map<String, Long> delta = new LinkedHashMap<>();
    long javaThreads = 0;
    for (Map.Entry<String, Long> entry : nanos.entrySet()) {
      long spent = entry.getValue() - before.nanos.getOrDefault(entry.getKey(), 0L);
      if (spent > 0) {
        delta.put(entry.getKey(), spent);
        javaThreads += spent;
      }
    }
    Map<String, Long> sorted = new LinkedHashMap<>();
    delta.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> sorted.put(e.getKey(), e.getValue()));
    sorted.put(NATIVE, Math.max(0, (process - before.process) - javaThreads));
    return sorted;
  }
}
