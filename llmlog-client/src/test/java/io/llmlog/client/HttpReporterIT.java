package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.QualityLogEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shipping path over real HTTP, against a JDK HTTP server on a loopback port. */
class HttpReporterIT {
  static final Duration WAIT = Duration.ofSeconds(30);

  final Receiver receiver = new Receiver();
  final List<LlmLogger> loggers = new ArrayList<>();

  @AfterEach
  void close() {
    loggers.forEach(logger -> logger.close(Duration.ofSeconds(2)));
    receiver.close();
  }

  LlmLogger.Builder builder() {
    return LlmLogger.builder("it").noLines().endpoint(receiver.uri()).apiKey("secret-key");
  }

  LlmLogger build(LlmLogger.Builder builder) {
    LlmLogger logger = builder.build();
    loggers.add(logger);
    return logger;
  }

  @Test
  void log_healthyReceiver_postsGzipNdjsonBatches() {
    LlmLogger logger = build(builder().batchMaxRecords(50));

    for (int i = 0; i < 120; i++) {
      logger.log(Entries.numbered(i, 100));
    }
    logger.logQuality(QualityLogEntry.rating(Entries.NOW, "req-1", 5));
    logger.log(Entries.brief());
    assertThat(logger.flush(WAIT)).isTrue();

    List<Receiver.Request> requests = receiver.requests();
    assertThat(requests)
        .allSatisfy(
            request -> {
              assertThat(request.method()).isEqualTo("POST");
              assertThat(request.header("Content-Type")).isEqualTo("application/x-ndjson");
              assertThat(request.header("Content-Encoding")).isEqualTo("gzip");
              assertThat(request.header("Authorization")).isEqualTo("ApiKey secret-key");
              assertThat(request.body()[0] & 0xff).isEqualTo(0x1f); // gzip magic
              assertThat(request.body()[1] & 0xff).isEqualTo(0x8b);
              assertThat(request.lines()).hasSizeLessThanOrEqualTo(50);
            });
    List<String> calls = receiver.lines("/api/v1/logs");
    assertThat(calls).hasSize(121);
    assertThat(JsonTree.object(calls.get(0)))
        .containsEntry("request_id", "req-0")
        .containsEntry("service", "it");
    Map<String, Object> brief = JsonTree.object(calls.get(120));
    assertThat(brief)
        .containsEntry("prompt", "解释机器学习的基本概念")
        .containsEntry("latency_ms", 2340.5)
        .containsEntry("ttft_ms", 180.2)
        .containsEntry("temperature", 0.7)
        .containsEntry("max_tokens", 2048L)
        .containsEntry("user_id", "user_123")
        .containsEntry("system_prompt", "你是一个AI助手");
    assertThat(receiver.lines("/api/v1/quality"))
        .singleElement()
        .satisfies(
            line ->
                assertThat(JsonTree.object(line))
                    .containsEntry("request_id", "req-1")
                    .containsEntry("rating", 5L));
    assertThat(logger.shippingMetrics().delivered()).isEqualTo(122);
    assertThat(logger.shippingMetrics().dropped()).isZero();
  }

  @Test
  void step_closed_isPostedToTheSpansEndpoint() {
    LlmLogger logger = build(builder());

    try (var step = logger.step("search-docs", StepKind.RETRIEVAL)) {
      logger.log(Entries.brief());
    }
    assertThat(logger.flush(WAIT)).isTrue();

    assertThat(receiver.lines("/api/v1/spans"))
        .singleElement()
        .satisfies(
            line ->
                assertThat(JsonTree.object(line))
                    .containsEntry("name", "search-docs")
                    .containsEntry("kind", "retrieval"));
    assertThat(receiver.lines("/api/v1/logs"))
        .singleElement()
        .satisfies(line -> assertThat(JsonTree.object(line)).containsKey("parent_id"));
    assertThat(logger.shippingMetrics().delivered()).isEqualTo(2);
  }

  @Test
  void send_503WithRetryAfter_retriesOnceTheWaitIsOver() {
    AtomicBoolean first = new AtomicBoolean(true);
    receiver.answer(
        request ->
            first.getAndSet(false)
                ? new Receiver.Reply(503, Map.of("Retry-After", "1"), "busy")
                : Receiver.Reply.accepted(request.lines().size()));
    LlmLogger logger = build(builder().initialBackoff(Duration.ofMillis(10)));

    logger.log(Entries.brief());
    assertThat(logger.flush(WAIT)).isTrue();

    List<Receiver.Request> requests = receiver.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1).lines()).isEqualTo(requests.get(0).lines());
    // A lower bound only: the reporter must not come back before the receiver said it may.
    assertThat(requests.get(1).receivedNanos() - requests.get(0).receivedNanos())
        .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
    assertThat(logger.shippingMetrics().delivered()).isEqualTo(1);
  }

  @Test
  void send_400_isNotRetried() {
    receiver.answer(request -> new Receiver.Reply(400, Map.of(), "{\"error\":\"bad batch\"}"));
    LlmLogger logger = build(builder().initialBackoff(Duration.ofMillis(10)));

    logger.log(Entries.brief());
    assertThat(logger.flush(WAIT)).isTrue();

    assertThat(receiver.requests()).hasSize(1);
    assertThat(logger.shippingMetrics().dropped(DropReason.SEND_FAILED)).isEqualTo(1);
    assertThat(logger.shippingMetrics().delivered()).isZero();
  }

  @Test
  void send_413_splitsTheBatchUntilItFits() {
    receiver.answer(
        request ->
            request.lines().size() > 10
                ? new Receiver.Reply(413, Map.of(), "too large")
                : Receiver.Reply.accepted(request.lines().size()));
    LlmLogger logger = build(builder().batchMaxRecords(40));

    for (int i = 0; i < 40; i++) {
      logger.log(Entries.numbered(i, 10));
    }
    assertThat(logger.flush(WAIT)).isTrue();

    assertThat(logger.shippingMetrics().delivered()).isEqualTo(40);
    assertThat(new HashSet<>(receiver.lines("/api/v1/logs"))).hasSize(40);
  }

  @Test
  void send_perRecordRejections_areCountedRejected() {
    receiver.answer(
        request ->
            new Receiver.Reply(
                200,
                Map.of(),
                "{\"accepted\":"
                    + (request.lines().size() - 1)
                    + ",\"rejected\":1,\"errors\":[{\"line\":1,\"field\":\"model\",\"reason\":\"is required\"}]}"));
    LlmLogger logger = build(builder());

    for (int i = 0; i < 5; i++) {
      logger.log(Entries.numbered(i, 10));
    }
    assertThat(logger.flush(WAIT)).isTrue();

    ReporterMetrics metrics = logger.shippingMetrics();
    assertThat(metrics.dropped(DropReason.REJECTED)).isEqualTo(receiver.requests().size());
    assertThat(metrics.delivered() + metrics.dropped(DropReason.REJECTED)).isEqualTo(5);
  }

  @Test
  void log_receiverStopped_100kCallsFrom4ThreadsStayBoundedAndAddUp() throws Exception {
    receiver.close(); // nothing listens on the port any more: every connection is refused
    long queuedMaxBytes = 4L << 20;
    LlmLogger logger =
        build(
            builder()
                .queuedMaxBytes(queuedMaxBytes)
                // Keep retrying the first batch for the whole test, so the queue stays full.
                .maxAttempts(1000)
                .initialBackoff(Duration.ofMillis(50))
                .maxBackoff(Duration.ofMillis(500))
                .retryMaxDuration(Duration.ofMinutes(10)));
    ReporterMetrics metrics = logger.shippingMetrics();

    AtomicLong maxQueuedBytes = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread monitor =
        new Thread(
            () -> {
              while (running.get()) {
                maxQueuedBytes.accumulateAndGet(metrics.queuedBytes(), Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
              }
            },
            "queued-bytes-monitor");
    long heapBefore = usedHeapAfterGc();
    monitor.start();

    int threads = 4;
    int perThread = 25_000;
    long[] maxNanos = new long[threads];
    long[] maxBuildNanos = new long[threads]; // a control: the caller's own work, no SDK code
    long[][] samples = new long[threads][perThread];
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      callers.add(
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  long building = System.nanoTime();
                  LlmLogEntry entry = Entries.numbered(index * perThread + i, 1024);
                  long start = System.nanoTime();
                  maxBuildNanos[index] = Math.max(maxBuildNanos[index], start - building);
                  logger.log(entry);
                  long took = System.nanoTime() - start;
                  samples[index][i] = took;
                  maxNanos[index] = Math.max(maxNanos[index], took);
                }
              },
              "caller-" + t));
    }
    long[] gcBefore = gcCountAndMillis();
    long started = System.nanoTime();
    callers.forEach(Thread::start);
    for (Thread caller : callers) {
      caller.join();
    }
    long elapsed = System.nanoTime() - started;
    long[] gcAfter = gcCountAndMillis();
    running.set(false);
    monitor.join();
    long heapAfter = usedHeapAfterGc();

    // The callers are done and the reporter thread is backing off on its first batch: the counters
    // stand still. Read them until two readings agree, then they add up exactly.
    long[] counts = stableCounts(metrics);
    long logged = counts[0];
    long delivered = counts[1];
    long dropped = counts[2];
    long queued = counts[3];
    assertThat(logged).isEqualTo(100_000);
    assertThat(logged).isEqualTo(delivered + dropped + queued);
    assertThat(queued).isPositive();
    assertThat(metrics.dropped(DropReason.QUEUE_FULL)).isPositive();
    assertThat(maxQueuedBytes.get()).isLessThanOrEqualTo(queuedMaxBytes);
    assertThat(metrics.queuedBytes()).isLessThanOrEqualTo(queuedMaxBytes);
    // 100,000 records of about 1.3 KB would be ~130 MB; the queue may hold 4 MiB of them.
    assertThat(heapAfter - heapBefore).isLessThan(8 * queuedMaxBytes);

    for (int t = 0; t < threads; t++) {
      int worst = 0;
      for (int i = 0; i < perThread; i++) {
        if (samples[t][i] > samples[t][worst]) {
          worst = i;
        }
      }
      System.out.printf(
          "[HttpReporterIT] caller-%d: slowest call #%d took %.2f us%n",
          t, worst, samples[t][worst] / 1e3);
    }
    long[] all = new long[threads * perThread];
    for (int t = 0; t < threads; t++) {
      System.arraycopy(samples[t], 0, all, t * perThread, perThread);
    }
    java.util.Arrays.sort(all);
    System.out.printf(
        "[HttpReporterIT] receiver stopped: %d log() calls from %d threads in %.1f ms; per call p50=%.2f us p99=%.2f us"
            + " p99.9=%.2f us max=%.2f us%n",
        all.length,
        threads,
        elapsed / 1e6,
        all[all.length / 2] / 1e3,
        all[(int) (all.length * 0.99)] / 1e3,
        all[(int) (all.length * 0.999)] / 1e3,
        all[all.length - 1] / 1e3);
    // The slowest calls line up with collections of the garbage the callers make (a 1 KB entry
    // each)
    // and with 6 runnable threads sharing the machine's cores; the SDK itself takes no lock.
    System.out.printf(
        "[HttpReporterIT] during the calls: %d GCs, %d ms in GC; %d cores; slowest entry build (control, no SDK"
            + " code) %.2f us%n",
        gcAfter[0] - gcBefore[0],
        gcAfter[1] - gcBefore[1],
        Runtime.getRuntime().availableProcessors(),
        java.util.Arrays.stream(maxBuildNanos).max().getAsLong() / 1e3);
    System.out.printf(
        "[HttpReporterIT] before close: logged=%d delivered=%d dropped=%d %s queued=%d; max queuedBytes seen=%d"
            + " (bound %d); used heap after GC before=%.1f MB after=%.1f MB (delta %.1f MB)%n",
        logged,
        delivered,
        dropped,
        metrics.droppedByReason(),
        queued,
        maxQueuedBytes.get(),
        queuedMaxBytes,
        heapBefore / 1e6,
        heapAfter / 1e6,
        (heapAfter - heapBefore) / 1e6);

    long undelivered = logger.close(Duration.ofSeconds(1));

    assertThat(metrics.queuedRecords()).isZero();
    assertThat(metrics.queuedBytes()).isZero();
    // A batch whose request the deadline cut off is unknown (the server may have it), not dropped.
    assertThat(metrics.logged())
        .isEqualTo(metrics.delivered() + metrics.dropped() + metrics.unknown());
    assertThat(metrics.dropped(DropReason.SHUTDOWN) + metrics.unknown())
        .isEqualTo(undelivered)
        .isEqualTo(queued);
    System.out.printf("[HttpReporterIT] after close: %s%n", metrics);
  }

  @Test
  void close_healthyReceiver_deliversEverythingLoggedBeforeIt() throws InterruptedException {
    LlmLogger logger = build(builder().batchTimeout(Duration.ofSeconds(30)));
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int offset = t * 2_500;
      callers.add(
          new Thread(
              () -> {
                for (int i = 0; i < 2_500; i++) {
                  logger.log(Entries.numbered(offset + i, 200));
                }
              }));
    }
    callers.forEach(Thread::start);
    for (Thread caller : callers) {
      caller.join();
    }

    assertThat(logger.close(WAIT)).isZero();

    Set<Object> ids = new HashSet<>();
    for (String line : receiver.lines("/api/v1/logs")) {
      ids.add(JsonTree.object(line).get("request_id"));
    }
    assertThat(ids).hasSize(5_000);
    assertThat(logger.shippingMetrics().delivered()).isEqualTo(5_000);
    assertThat(logger.shippingMetrics().dropped()).isZero();
  }

  private static long[] gcCountAndMillis() {
    long count = 0;
    long millis = 0;
    for (java.lang.management.GarbageCollectorMXBean gc :
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new long[] {count, millis};
  }

  private static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static long[] stableCounts(ReporterMetrics metrics) throws InterruptedException {
    long[] previous = null;
    for (int i = 0; i < 200; i++) {
      long[] counts = {
        metrics.logged(), metrics.delivered(), metrics.dropped(), metrics.queuedRecords()
      };
      if (java.util.Arrays.equals(counts, previous)) {
        return counts;
      }
      previous = counts;
      Thread.sleep(20);
    }
    throw new AssertionError("the counters never stood still");
  }
}
