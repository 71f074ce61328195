package io.llmlog.bench.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the process's CPU time goes, by thread group: the engine's pools ({@code write}, {@code
 * refresh}, {@code transport_worker}, ...), the carrier threads that run llmlog's virtual request
 * threads and the HTTP clients' tasks ({@code ForkJoinPool}), the load generator, and what the
 * garbage collector and the JIT compilers (from {@code /proc}), and the rest as process CPU minus
 * all of these: threads that ended during the run (the engine's merge threads) and other JVM
 * threads. A coarse profile that needs no agent.
 */
final class CpuProfile {
  static final String NATIVE = "other: ended threads (merges), JVM threads";
  static final String GC = "garbage collector";
  static final String JIT = "JIT compilers";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<String, Long> nanos;
  private final long process;

  private CpuProfile(Map<String, Long> nanos, long process) {
    this.nanos = nanos;
    this.process = process;
  }

  static CpuProfile snapshot() {
    Map<String, Long> groups = new TreeMap<>();
    jvmThreads(groups);
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

  /**
   * The JVM's own threads, which no {@link ThreadMXBean} lists, from {@code /proc/self/task}: the
   * garbage collector's ({@code GC Thread#0}, {@code G1 Conc#0}, {@code G1 Refine#0}, ...) and the
   * JIT compilers'. Clock ticks of 10 ms, fine for runs of seconds.
   */
  private static void jvmThreads(Map<String, Long> groups) {
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return;
    }
    for (java.io.File task : tasks) {
      try {
        String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close);
        String group =
            name.startsWith("GC Thread") || name.startsWith("G1 ")
                ? GC
                : name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")
                    ? JIT
                    : null;
        if (group != null) {
          String[] fields = stat.substring(close + 2).split(" ");
          long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          groups.merge(group, ticks * 10_000_000L, Long::sum);
        }
      } catch (java.io.IOException | RuntimeException gone) {
        // The thread ended meanwhile.
      }
    }
  }

  /**
   * {@code opensearch[llmlog-embedded][write][T#2]} → {@code engine write}; digits dropped
   * elsewhere.
   */
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

  /**
   * CPU spent between {@code before} and this snapshot, by group, largest first, with the JVM's own
   * threads last.
   */
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
    delta.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    sorted.put(NATIVE, Math.max(0, (process - before.process) - javaThreads));
    return sorted;
  }
}
