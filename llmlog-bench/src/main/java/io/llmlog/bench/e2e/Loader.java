package io.llmlog.bench.e2e;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends prepared batches to a target from a fixed number of client threads, each with one request
 * in flight, and measures what a shipper sees: wall time to the last acknowledgement, the latency
 * of every acknowledgement (from the first send, retries included) and the CPU time of the whole
 * process (client, llmlog and the engine share it).
 */
final class Loader {
  /** What one run of one target measured. */
  record Run(
      Target target,
      int docs,
      long documentBytes,
      long wireBytes,
      long wallNanos,
      long[] ackNanos,
      long cpuNanos,
      long gcMillis,
      int retries,
      Map<String, Long> cpuByThreads) {
    double docsPerSecond() {
      return docs / (wallNanos / 1e9);
    }

    double megabytesPerSecond() {
      return documentBytes / 1e6 / (wallNanos / 1e9);
    }

    double ackMillis(double percentile) {
      return Percentiles.of(ackNanos, percentile) / 1e6;
    }

    double cpuMillisPerThousand() {
      return cpuNanos / 1e6 / (docs / 1000.0);
    }
  }

  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final HttpClient http;

  Loader(HttpClient http) {
    this.http = http;
  }

  static long processCpuNanos() {
    return OS.getProcessCpuTime();
  }

  static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  /**
   * Sends every batch once it is acknowledged in full.
   *
   * @param afterLastAck work inside the CPU window but outside the wall time (the refresh that
   *     makes the documents searchable)
   * @throws IllegalStateException on the first batch the target did not store
   */
  Run run(
      Target target, URI base, List<Target.Batch> batches, int concurrency, Runnable afterLastAck)
      throws InterruptedException {
    long[] acks = new long[batches.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger retries = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    URI uri = URI.create(base + target.path());
    List<Thread> threads = new ArrayList<>();
    long gcBefore = gcMillis();
    CpuProfile profileBefore = CpuProfile.snapshot();
    long cpuBefore = processCpuNanos();
    long start = System.nanoTime();
    for (int t = 0; t < concurrency; t++) {
      threads.add(
          Thread.ofPlatform()
              .name("bench-client-" + t)
              .start(
                  () -> {
                    for (int i = next.getAndIncrement();
                        i < batches.size() && failure.get() == null;
                        i = next.getAndIncrement()) {
                      try {
                        acks[i] = send(target, uri, batches.get(i), retries);
                      } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                      }
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    long wall = System.nanoTime() - start;
    if (failure.get() != null) {
      throw failure.get();
    }
    afterLastAck.run();
    long cpu = processCpuNanos() - cpuBefore;
    Map<String, Long> byThreads = CpuProfile.snapshot().since(profileBefore);
    long gc = gcMillis() - gcBefore;
    int docs = batches.stream().mapToInt(Target.Batch::docs).sum();
    long documentBytes = batches.stream().mapToLong(Target.Batch::documentBytes).sum();
    long wire = batches.stream().mapToLong(b -> b.body().length).sum();
    return new Run(
        target, docs, documentBytes, wire, wall, acks, cpu, gc, retries.get(), byThreads);
  }

  private long send(Target target, URI uri, Target.Batch batch, AtomicInteger retries) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofMinutes(5))
            .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body()));
    target.headers().forEach(builder::header);
    HttpRequest request = builder.build();
    long start = System.nanoTime();
    for (int attempt = 0; ; attempt++) {
      HttpResponse<byte[]> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (java.io.IOException e) {
        throw new IllegalStateException(target.label + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      String problem = target.check(response.statusCode(), response.body(), batch.docs());
      if (problem == null) {
        return System.nanoTime() - start;
      }
      if (!problem.equals("retry") || attempt >= 100) {
        throw new IllegalStateException(target.label + " did not store a batch: " + problem);
      }
      retries.incrementAndGet();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Nearest-rank percentiles of nanosecond samples. */
  static final class Percentiles {
    private Percentiles() {}

    static double of(long[] samples, double percentile) {
      if (samples.length == 0) {
        return Double.NaN;
      }
      long[] sorted = samples.clone();
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
  }
}
