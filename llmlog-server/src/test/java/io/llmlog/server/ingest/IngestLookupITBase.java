package io.llmlog.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.client.LlmLogger;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.Timestamps;
import io.llmlog.core.codec.LlmLogJson;
import io.llmlog.core.testing.BriefExample;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ingest and lookup suite, run against every kind of engine llmlog supports (Zipkin's ITStorage
 * pattern): each subclass starts a server on its engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class IngestLookupITBase {
  protected LlmlogServer server;
  protected Http api;
  protected Http es;

  /** Starts the server this suite runs against. */
  protected abstract LlmlogServer startServer() throws Exception;

  /** Stops whatever {@link #startServer()} started besides the server. */
  protected void stopEngine() throws Exception {}

  @BeforeAll
  void start() throws Exception {
    server = startServer();
    api = new Http(TestServers.api(server));
    es = new Http(TestServers.es(server));
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    stopEngine();
  }

  static String id() {
    return "it-" + UUID.randomUUID();
  }

  static LlmLogEntry briefEntry(String requestId) {
    return BriefExample.entry(Instant.now(), requestId);
  }

  @Test
  void health_ready_isOk() {
    Http.Answer health = api.get("/health");

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("status").asText()).isEqualTo("ok");
  }

  @Test
  void ingest_briefLoggerLine_isFlattenedAndRetrievable() {
    String id = id();
    LlmLogEntry entry = briefEntry(id);

    Http.Answer answer =
        api.post(
            "/api/v1/logs?refresh=wait_for",
            "application/json",
            LlmLogJson.briefLine(entry, "llm-inference"));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("accepted").asInt()).isEqualTo(1);
    assertThat(answer.json().path("rejected").asInt()).isZero();
    Http.Answer found = api.get("/api/v1/logs/" + id);
    assertThat(found.status()).isEqualTo(200);
    assertThat(found.json().path("index").asText())
        .endsWith("llm-logs-" + Timestamps.day(entry.timestamp()));
    JsonNode document = found.json().path("document");
    assertThat(document.path("request_id").asText()).isEqualTo(id);
    assertThat(document.path("service").asText()).isEqualTo("llm-inference");
    assertThat(document.path("model").asText()).isEqualTo("gpt-4");
    assertThat(document.path("input_tokens").asInt()).isEqualTo(15);
    assertThat(document.path("output_tokens").asInt()).isEqualTo(256);
    assertThat(document.path("total_tokens").asInt()).isEqualTo(271);
    assertThat(document.path("latency_ms").asDouble()).isEqualTo(2340.5);
    assertThat(document.path("ttft_ms").asDouble()).isEqualTo(180.2);
    assertThat(document.path("generation_ms").asDouble()).isEqualTo(2340.5 - 180.2);
    assertThat(document.path("temperature").asDouble()).isEqualTo(0.7);
    assertThat(document.path("max_tokens").asInt()).isEqualTo(2048);
    assertThat(document.path("prompt").asText()).isEqualTo("解释机器学习的基本概念");
    assertThat(document.path("level").asText()).isEqualTo("info");
    assertThat(document.has("metrics")).isFalse();
    assertThat(document.has("config")).isFalse();
  }

  @Test
  void ingest_ndjsonWithBadLines_storesTheGoodOnesAndNamesTheBad() {
    String good1 = id();
    String good2 = id();
    String body =
        String.join(
            "\n",
            "{\"request_id\":\""
                + good1
                + "\",\"model\":\"gpt-4o\",\"timestamp\":\"2026-11-28T08:00:00Z\",\"latency_ms\":120}",
            "{\"request_id\": \"broken\", ",
            "{\"request_id\":\""
                + id()
                + "\",\"model\":\"gpt-4o\",\"metrics\":{\"output_tokens\":-5}}",
            "{\"model\":\"gpt-4o\",\"latency_ms\":3}",
            "{\"request_id\":\"" + good2 + "\",\"model\":\"gpt-4o\",\"latency_ms\":\"slow\"}",
            "{\"request_id\":\""
                + id()
                + "\",\"model\":\"gpt-4o\",\"timestamp\":\"2026-11-28T08:00:00Z\",\"temperature\":7}");

    Http.Answer answer = api.post("/api/v1/logs?refresh=wait_for", "application/x-ndjson", body);

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("accepted").asInt()).isEqualTo(1);
    assertThat(answer.json().path("rejected").asInt()).isEqualTo(5);
    JsonNode errors = answer.json().path("errors");
    assertThat(errors.get(0).path("line").asInt()).isEqualTo(2);
    assertThat(errors.get(0).path("reason").asText()).contains("not valid JSON");
    assertThat(errors.get(1).path("line").asInt()).isEqualTo(3);
    assertThat(errors.get(1).path("field").asText()).isEqualTo("output_tokens");
    assertThat(errors.get(1).path("reason").asText()).isEqualTo("must be >= 0, was -5");
    assertThat(errors.get(2).path("field").asText()).isEqualTo("request_id");
    assertThat(errors.get(3).path("field").asText()).isEqualTo("latency_ms");
    assertThat(errors.get(4).path("field").asText()).isEqualTo("temperature");
    assertThat(api.get("/api/v1/logs/" + good1).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/logs/" + good2).status()).isEqualTo(404);
  }

  @Test
  void ingest_gzipJsonArray_isAccepted() {
    String first = id();
    String second = id();
    String body =
        "[{\"request_id\":\""
            + first
            + "\",\"model\":\"claude-3-5-sonnet\"},"
            + "{\"request_id\":\""
            + second
            + "\",\"model\":\"claude-3-5-sonnet\",\"error\":{\"type\":\"rate_limit\",\"message\":\"429\"},\"level\":\"ERROR\"}]";

    Http.Answer answer =
        api.postBytes(
            "/api/v1/logs?refresh=wait_for",
            "application/json",
            Http.gzip(Http.utf8(body)),
            "gzip");

    assertThat(answer.json().path("accepted").asInt()).as(answer.body()).isEqualTo(2);
    JsonNode failed = api.get("/api/v1/logs/" + second).json().path("document");
    assertThat(failed.path("level").asText()).isEqualTo("error");
    assertThat(failed.path("error").path("type").asText()).isEqualTo("rate_limit");
  }

  @Test
  void ingest_partsOfOneCall_mergeInAnyOrder() {
    String id = id();
    String time = "\"timestamp\":\"" + Instant.now() + "\"";
    String response =
        "{\"request_id\":\""
            + id
            + "\","
            + time
            + ",\"response\":\"你好\",\"output_tokens\":12,\"stop_reason\":\"stop\"}";
    String performance =
        "{\"request_id\":\""
            + id
            + "\","
            + time
            + ",\"latency_ms\":900,\"ttft_ms\":100,\"queue_wait_ms\":20}";
    String request =
        "{\"request_id\":\""
            + id
            + "\","
            + time
            + ",\"model\":\"qwen-max\",\"prompt\":\"你好吗\",\"input_tokens\":5,\"user_id\":\"u-9\"}";

    assertThat(api.post("/api/v1/logs", "application/x-ndjson", response).status()).isEqualTo(200);
    assertThat(api.post("/api/v1/logs", "application/x-ndjson", performance).status())
        .isEqualTo(200);
    assertThat(api.post("/api/v1/logs?refresh=wait_for", "application/x-ndjson", request).status())
        .isEqualTo(200);

    JsonNode document = api.get("/api/v1/logs/" + id).json().path("document");
    assertThat(document.path("model").asText()).isEqualTo("qwen-max");
    assertThat(document.path("prompt").asText()).isEqualTo("你好吗");
    assertThat(document.path("response").asText()).isEqualTo("你好");
    assertThat(document.path("latency_ms").asDouble()).isEqualTo(900);
    assertThat(document.path("queue_wait_ms").asDouble()).isEqualTo(20);
    assertThat(document.path("user_id").asText()).isEqualTo("u-9");
    assertThat(document.path("stop_reason").asText()).isEqualTo("stop");
  }

  @Test
  void ingestQuality_forAStoredCall_showsInItsLookup() {
    String id = id();
    api.post(
        "/api/v1/logs?refresh=wait_for",
        "application/json",
        LlmLogJson.briefLine(briefEntry(id), "svc"));

    Http.Answer answer =
        api.post(
            "/api/v1/quality?refresh=wait_for",
            "application/json",
            "{\"request_id\":\""
                + id
                + "\",\"rating\":4,\"feedback\":\"清楚\",\"annotations\":[\"helpful\"],\"reviewer_id\":\"r-1\",\"scores\":{\"relevance\":0.9}}");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode quality = api.get("/api/v1/logs/" + id).json().path("quality");
    assertThat(quality).hasSize(1);
    assertThat(quality.get(0).path("rating").asInt()).isEqualTo(4);
    assertThat(quality.get(0).path("feedback").asText()).isEqualTo("清楚");
    assertThat(quality.get(0).path("scores").path("relevance").asDouble()).isEqualTo(0.9);
  }

  @Test
  void ingestQuality_sentTwice_isStoredOnce() {
    String id = id();
    String record =
        "{\"request_id\":\"" + id + "\",\"timestamp\":\"2026-11-28T09:00:00Z\",\"rating\":1}";

    api.post("/api/v1/quality?refresh=wait_for", "application/json", record);
    api.post("/api/v1/quality?refresh=wait_for", "application/json", record);

    assertThat(server.store().calls().quality(id)).hasSize(1);
  }

  @Test
  void list_byModel_pagesThroughEveryCallOnce() {
    String model = "list-" + UUID.randomUUID();
    StringBuilder body = new StringBuilder();
    Instant start = Instant.now().minusSeconds(60);
    for (int i = 0; i < 25; i++) {
      body.append("{\"request_id\":\"")
          .append(id())
          .append("\",\"model\":\"")
          .append(model)
          .append("\",\"timestamp\":\"")
          .append(start.plusSeconds(i / 2))
          .append("\"}\n");
    }
    assertThat(
            api.post("/api/v1/logs?refresh=wait_for", "application/x-ndjson", body.toString())
                .json()
                .path("accepted")
                .asInt())
        .isEqualTo(25);

    Set<String> seen = new HashSet<>();
    String next = null;
    int pages = 0;
    do {
      Http.Answer page =
          api.get(
              "/api/v1/logs?model="
                  + model
                  + "&size=10&from=now-1h"
                  + (next == null ? "" : "&search_after=" + next));
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      for (JsonNode hit : page.json().path("hits")) {
        assertThat(seen.add(hit.path("request_id").asText())).isTrue();
      }
      next = page.json().path("next").isNull() ? null : page.json().path("next").asText();
      pages++;
    } while (next != null && pages < 10);

    assertThat(seen).hasSize(25);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void lookup_unknownRequestId_is404() {
    Http.Answer answer = api.get("/api/v1/logs/does-not-exist-" + UUID.randomUUID());

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.json().path("error").path("reason").asText())
        .contains("no call with request_id");
  }

  @Test
  void sdk_loggedCall_isRetrievableByRequestId() throws Exception {
    String id = id();
    try (LlmLogger logger =
        LlmLogger.builder("sdk-it").endpoint(TestServers.api(server)).noLines().build()) {
      logger.log(briefEntry(id));
      assertThat(logger.flush(Duration.ofSeconds(30))).isTrue();
    }

    JsonNode document = waitForCall(id);
    assertThat(document.path("service").asText()).isEqualTo("sdk-it");
    assertThat(document.path("system_prompt").asText()).isEqualTo("你是一个AI助手");
    assertThat(document.path("response").asText()).isEqualTo("机器学习是人工智能的一个子领域...");
  }

  @Test
  void bulk_briefLinesFromAShipper_areStored() {
    String id = id();
    String body =
        "{\"index\":{\"_index\":\"llm-logs-2026.11.28\"}}\n"
            + LlmLogJson.briefLine(briefEntry(id), "shipper")
            + "\n";

    Http.Answer answer = es.post("/_bulk?refresh=wait_for", "application/x-ndjson", body);

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("errors").asBoolean()).isFalse();
    assertThat(answer.json().path("items").get(0).path("index").path("_id").asText()).isEqualTo(id);
    assertThat(answer.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
    assertThat(api.get("/api/v1/logs/" + id).json().path("document").path("service").asText())
        .isEqualTo("shipper");
  }

  /** Waits for the engine's refresh interval to make a call visible. */
  JsonNode waitForCall(String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Http.Answer answer = api.get("/api/v1/logs/" + id);
      if (answer.status() == 200) {
        return answer.json().path("document");
      }
      Thread.sleep(200);
    }
    throw new AssertionError("call " + id + " did not become searchable within 30 s");
  }
}
