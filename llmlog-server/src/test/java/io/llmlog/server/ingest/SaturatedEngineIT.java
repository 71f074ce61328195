package io.llmlog.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.client.LlmLogger;
import io.llmlog.client.ReporterMetrics;
import io.llmlog.core.testing.BriefExample;
import io.llmlog.engine.EmbeddedEngine;
import io.llmlog.engine.EngineOptions;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's promise about a saturated engine, on a real node whose write pool is one thread with
 * a queue of one (so a third concurrent bulk is refused) and whose refresh is slow: ingest answers
 * 429 with {@code Retry-After}, and the SDK, sending through the same saturation, retries and in
 * the end delivers every record, dropping none. Re-sending the refused batches stores them once.
 */
class SaturatedEngineIT {
  private static final int HAMMERS = 6;
  private static final int HAMMER_BATCH = 100;
  private static final int SDK_STEP = 50;
  private static final int SDK_MAX = 2_000;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void ingest_engineWriteQueueFull_answers429WithRetryAfterAndTheSdkRetriesUntilAllIsDelivered()
      throws Exception {
    long started = System.nanoTime();
    EngineOptions options =
        EngineOptions.builder(dir.resolve("engine"))
            .diskThresholdEnabled(false)
            .extraSetting("thread_pool.write.size", "1")
            .extraSetting("thread_pool.write.queue_size", "1")
            .build();
    try (EmbeddedEngine node = EmbeddedEngine.start(options);
        LlmlogServer server = TestServers.start(settings(node))) {
      TestEngine engine = TestEngine.at(node.httpUri(), "");
      Http api = new Http(TestServers.api(server));

      // Raw clients keep the engine's write pool full until the SDK has had to retry.
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger throttledAnswers = new AtomicInteger();
      AtomicReference<Http.Answer> firstThrottled = new AtomicReference<>();
      Queue<String> refused = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(HAMMERS);
      List<Future<?>> hammers = new ArrayList<>();
      for (int h = 0; h < HAMMERS; h++) {
        int hammer = h;
        hammers.add(
            pool.submit(
                () -> {
                  long deadline = System.nanoTime() + WAIT.toNanos();
                  for (int batch = 0; !stop.get() && System.nanoTime() < deadline; batch++) {
                    String body = batch("sat-h" + hammer + "-" + batch);
                    Http.Answer answer = api.post("/api/v1/logs", "application/x-ndjson", body);
                    if (answer.status() == 429) {
                      throttledAnswers.incrementAndGet();
                      firstThrottled.compareAndSet(null, answer);
                      refused.add(body);
                    } else {
                      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                      accepted.addAndGet(answer.json().path("accepted").asInt());
                    }
                  }
                  return null;
                }));
      }

      LlmLogger logger =
          LlmLogger.builder("saturation")
              .noLines()
              .endpoint(TestServers.api(server))
              .batchMaxRecords(SDK_STEP)
              .build();
      ReporterMetrics shipped = logger.shippingMetrics();
      int logged = 0;
      try (logger) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (shipped.retries() == 0 && logged < SDK_MAX && System.nanoTime() < deadline) {
          // One batch at a time, the next once the last got through, until one was refused.
          if (shipped.queuedRecords() == 0) {
            for (int i = 0; i < SDK_STEP; i++, logged++) {
              logger.log(BriefExample.entry(Instant.now(), "sat-sdk-" + logged));
            }
          }
          Thread.sleep(20);
        }
        stop.set(true);
        for (Future<?> hammer : hammers) {
          hammer.get();
        }
        assertThat(logger.flush(WAIT)).isTrue();
      } finally {
        stop.set(true);
        pool.shutdown();
      }

      Http.Answer throttled = firstThrottled.get();
      assertThat(throttled)
          .as(
              "no 429 while %d clients wrote to a write pool of one thread and one queue slot",
              HAMMERS)
          .isNotNull();
      assertThat(throttled.header("Retry-After")).matches("[1-9][0-9]*");
      // The engine refuses the whole bulk (its coordinating step) or each item (the shard's step).
      String reason =
          throttled
              .json()
              .path("error")
              .path("reason")
              .asText(throttled.json().path("errors").path(0).path("reason").asText());
      assertThat(reason).as(throttled.body()).contains("rejected");
      assertThat(shipped.retries()).as("the SDK met the saturation: %s", shipped).isPositive();
      assertThat(shipped.dropped()).as("%s", shipped).isZero();
      assertThat(shipped.delivered()).isEqualTo(logged);

      // Re-sent once the engine has room, the refused batches are stored, and nothing twice.
      int resent = 0;
      for (String body : refused) {
        Http.Answer answer = api.post("/api/v1/logs", "application/x-ndjson", body);
        for (int attempt = 0; answer.status() == 429 && attempt < 20; attempt++) {
          Thread.sleep(Long.parseLong(answer.header("Retry-After")) * 1000);
          answer = api.post("/api/v1/logs", "application/x-ndjson", body);
        }
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        resent += answer.json().path("accepted").asInt();
      }
      engine.refresh("llm-logs-*");
      long hammered = accepted.get() + resent;
      assertThat(engine.count("llm-logs-*")).isEqualTo(hammered + logged);
      System.out.printf(
          "SaturatedEngineIT: %d answers 429 (Retry-After %s) to %d clients; SDK: %d records, %d retries, %d dropped; "
              + "%d raw records stored after re-sending %d refused batches; %.1f s%n",
          throttledAnswers.get(),
          throttled.header("Retry-After"),
          HAMMERS,
          logged,
          shipped.retries(),
          shipped.dropped(),
          hammered,
          refused.size(),
          (System.nanoTime() - started) / 1e9);
    }
  }

  private Map<String, Object> settings(EmbeddedEngine node) {
    Map<String, Object> engine = new LinkedHashMap<>();
    engine.put("url", node.httpUri().toString());
    // The engine refuses, not llmlog's own limit on bulks in flight (which would answer 429 as
    // well).
    engine.put("max_concurrent_bulks", 16);
    engine.put("refresh_interval", "30s");
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("engine", engine);
    settings.put("server", new LinkedHashMap<>(Map.of("data_dir", dir.resolve("data").toString())));
    settings.put("alerts", new LinkedHashMap<>(Map.of("enabled", false)));
    settings.put("lifecycle", new LinkedHashMap<>(Map.of("enabled", false)));
    return settings;
  }

  private static String batch(String prefix) {
    StringBuilder body = new StringBuilder();
    String now = Instant.now().toString();
    for (int i = 0; i < HAMMER_BATCH; i++) {
      body.append("{\"request_id\":\"")
          .append(prefix)
          .append('-')
          .append(i)
          .append("\",\"timestamp\":\"")
          .append(now)
          .append("\",\"model\":\"gpt-4o\",\"level\":\"info\",\"latency_ms\":")
          .append(100 + i)
          .append(",\"prompt\":\"请总结这份季度财报的要点 and list the follow-ups\",\"response\":\"好的\"}\n");
    }
    return body.toString();
  }
}
