package io.llmlog.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile bodies get a clear 4xx quickly and cost the server little. Durations are printed for the
 * record, not asserted: the assertions are on status, message and memory.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LimitsIT {
  private LlmlogServer server;
  private Http api;
  private Http es;

  @BeforeAll
  void start(TestEngine engine) {
    server = TestServers.onSharedEngine(engine, Map.of());
    api = new Http(TestServers.api(server));
    es = new Http(TestServers.es(server));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void ingest_twentyMegabyteBody_is413() {
    byte[] body = new byte[20 << 20];
    Arrays.fill(body, (byte) ' ');

    long start = System.nanoTime();
    Http.Answer answer = api.postBytes("/api/v1/logs", "application/x-ndjson", body, null);
    report("20 MB body", start);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.json().path("error").path("reason").asText())
        .contains("limits.max_body_bytes");
    assertStillServing();
  }

  @Test
  void ingest_twentyMegabyteBodyAnnouncedWithExpectContinue_is413() throws Exception {
    // curl sends large bodies this way: the 413 comes instead of "100 Continue".
    assertRefusedAfterExpectContinue(
        java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[20 << 20]));
  }

  @Test
  void ingest_twentyMegabyteChunkedBodyAfterContinue_is413() throws Exception {
    // No declared length: llmlog says "100 Continue", reads up to the limit, then refuses.
    assertRefusedAfterExpectContinue(
        java.net.http.HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(new byte[20 << 20])));
  }

  private void assertRefusedAfterExpectContinue(java.net.http.HttpRequest.BodyPublisher body)
      throws Exception {
    java.net.http.HttpClient client =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build();
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(TestServers.api(server).resolve("/api/v1/logs"))
            .expectContinue(true)
            .header("Content-Type", "application/x-ndjson")
            .POST(body)
            .build();

    java.net.http.HttpResponse<String> answer =
        client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(answer.body()).contains("limits.max_body_bytes");
    assertStillServing();
  }

  @Test
  void bulk_twentyMegabyteBody_is413InElasticsearchShape() {
    byte[] body = new byte[20 << 20];
    Arrays.fill(body, (byte) '\n');

    Http.Answer answer = es.postBytes("/_bulk", "application/x-ndjson", body, null);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.json().path("status").asInt()).isEqualTo(413);
    assertThat(answer.json().path("error").path("root_cause").get(0).path("reason").asText())
        .contains("limits.max_body_bytes");
  }

  @Test
  void ingest_gzipBombOfOneGigabyte_is413WithoutFillingTheHeap() throws Exception {
    byte[] bomb = gzipOfZeros(1L << 30);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    PeakSampler peak = new PeakSampler(memory);
    peak.start();

    long start = System.nanoTime();
    Http.Answer answer = api.postBytes("/api/v1/logs", "application/x-ndjson", bomb, "gzip");
    report("1 GB gzip bomb (" + bomb.length + " bytes on the wire)", start);
    peak.interrupt();
    peak.join();

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.json().path("error").path("reason").asText())
        .contains("limits.max_decompressed_bytes");
    long growth = peak.max - before;
    System.out.printf(
        "LimitsIT: heap before %d MB, peak during the request %d MB, growth %d MB%n",
        before >> 20, peak.max >> 20, growth >> 20);
    assertThat(growth).isLessThan(50L << 20);
    assertStillServing();
  }

  @Test
  void ingest_jsonNestedTenThousandDeep_is400() {
    String body = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);

    long start = System.nanoTime();
    Http.Answer answer = api.postJson("/api/v1/logs", body);
    report("10,000-deep JSON", start);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body()).contains("nesting depth");
    assertStillServing();
  }

  @Test
  void ingest_arrayNestedTenThousandDeep_is400() {
    Http.Answer answer = api.postJson("/api/v1/logs", "[".repeat(10_000) + "]".repeat(10_000));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body()).contains("nesting depth");
  }

  @Test
  void ingest_emptyBody_is400WithAHint() {
    Http.Answer answer = api.postJson("/api/v1/logs", "");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("error").path("reason").asText()).contains("NDJSON");
  }

  @Test
  void ingest_unknownContentEncoding_is400() {
    Http.Answer answer = api.postBytes("/api/v1/logs", "application/json", Http.utf8("{}"), "br");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body()).contains("Content-Encoding");
  }

  @Test
  void bulk_unsupportedApi_getsAnElasticsearchStyleError() {
    Http.Answer answer = es.send("PUT", "/some-index/_settings", "{}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("error").path("type").asText())
        .isEqualTo("illegal_argument_exception");
    assertThat(answer.json().path("error").path("reason").asText()).contains("_bulk");
  }

  @Test
  void ingest_recordWithThousandsOfMadeUpFields_doesNotUseUpTheDaysFieldLimit() throws Exception {
    StringBuilder junk = new StringBuilder("{\"request_id\":\"junk-fields\",\"model\":\"m\"");
    for (int i = 0; i < 1900; i++) {
      junk.append(",\"junk").append(i).append("\":\"x\"");
    }
    Http.Answer first = api.postJson("/api/v1/logs?refresh=wait_for", junk.append('}').toString());
    StringBuilder metadata =
        new StringBuilder(
            "{\"request_id\":\"after-junk\",\"model\":\"m\",\"metadata\":{\"k0\":\"v\"");
    for (int i = 1; i < 100; i++) {
      metadata.append(",\"k").append(i).append("\":").append(i);
    }
    Http.Answer second =
        api.postJson("/api/v1/logs?refresh=wait_for", metadata.append("}}").toString());

    assertThat(first.json().path("accepted").asInt()).as(first.body()).isEqualTo(1);
    assertThat(second.json().path("accepted").asInt()).as(second.body()).isEqualTo(1);
    assertThat(
            api.get("/api/v1/logs/junk-fields").json().path("document").path("junk1899").asText())
        .isEqualTo("x");
    Http.Answer byMetadata =
        api.get(
            "/api/v1/search?q="
                + java.net.URLEncoder.encode(
                    "metadata.k42:42", java.nio.charset.StandardCharsets.UTF_8)
                + "&from=now-1d");
    assertThat(byMetadata.json().path("hits").get(0).path("request_id").asText())
        .as(byMetadata.body())
        .isEqualTo("after-junk");
  }

  @Test
  void ingest_tooManyMetadataKeys_isRejectedNamingTheLimit() {
    StringBuilder record =
        new StringBuilder(
            "{\"request_id\":\"many-keys\",\"model\":\"m\",\"metadata\":{\"k0\":\"v\"");
    for (int i = 1; i <= 100; i++) {
      record.append(",\"k").append(i).append("\":\"v\"");
    }
    Http.Answer answer = api.postJson("/api/v1/logs", record.append("}}").toString());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("errors").get(0).path("field").asText()).isEqualTo("metadata");
    assertThat(answer.json().path("errors").get(0).path("reason").asText())
        .contains("limits.max_metadata_keys");
  }

  @Test
  void ingest_timestampsOutOfBounds_areRejectedNotStoredInAFarAwayIndex() {
    Http.Answer answer =
        api.post(
            "/api/v1/logs",
            "application/x-ndjson",
            "{\"request_id\":\"t1\",\"model\":\"m\",\"timestamp\":\"2999-01-01T00:00:00Z\"}\n"
                + "{\"request_id\":\"t2\",\"model\":\"m\",\"timestamp\":0}\n"
                + "{\"request_id\":\"t3\",\"model\":\"m\",\"timestamp\":\"yesterday\"}\n");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("errors")).hasSize(3);
    assertThat(answer.json().path("errors").get(0).path("reason").asText())
        .contains("in the future")
        .contains("limits.max_future_skew");
    assertThat(answer.json().path("errors").get(1).path("reason").asText()).contains("before 2000");
    assertThat(answer.json().path("errors").get(2).path("field").asText()).isEqualTo("timestamp");
  }

  private void assertStillServing() {
    assertThat(api.get("/health").status()).isEqualTo(200);
  }

  private static void report(String what, long start) {
    System.out.printf(
        "LimitsIT: %s answered in %d ms%n", what, (System.nanoTime() - start) / 1_000_000);
  }

  private static byte[] gzipOfZeros(long size) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] zeros = new byte[1 << 20];
    try (GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16)) {
      for (long written = 0; written < size; written += zeros.length) {
        gzip.write(zeros);
      }
    }
    return out.toByteArray();
  }

  /** Samples the heap while a request runs: the server shares this JVM, so its peak is ours. */
  private static final class PeakSampler extends Thread {
    private final MemoryMXBean memory;
    volatile long max;

    PeakSampler(MemoryMXBean memory) {
      this.memory = memory;
      setDaemon(true);
    }

    @Override
    public void run() {
      while (!isInterrupted()) {
        max = Math.max(max, memory.getHeapMemoryUsage().getUsed());
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}
