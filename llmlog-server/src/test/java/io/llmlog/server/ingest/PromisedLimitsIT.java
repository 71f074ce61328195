package io.llmlog.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import io.llmlog.server.store.IndexFamily;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's promises about limits and durability, on a server with small limits: each limit's
 * 4xx names it, and every index llmlog writes acknowledges a write only after its translog is on
 * disk ({@code index.translog.durability: request}).
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromisedLimitsIT {
  private static final String CALL =
      "{\"request_id\":\"%s\",\"timestamp\":\"%s\",\"model\":\"gpt-4o\",\"prompt\":\"%s\"}";

  private TestEngine engine;
  private LlmlogServer server;
  private Http api;
  private Http es;

  @BeforeAll
  void start(TestEngine engine) {
    this.engine = engine;
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("max_string_length", "1KB");
    limits.put("max_records_per_request", 10);
    server = TestServers.onSharedEngine(engine, Map.of("limits", limits));
    api = new Http(TestServers.api(server));
    es = new Http(TestServers.es(server));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private static String call(String id, String prompt) {
    return CALL.formatted(id, Instant.now(), prompt);
  }

  @Test
  void ingest_stringOverMaxStringLength_is400NamingTheLimit() {
    Http.Answer answer = api.postJson("/api/v1/logs", call("long-1", "x".repeat(2_000)));

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.body()).contains("max_string_length");
  }

  @Test
  void ingest_stringOverMaxStringLengthInOneLine_costsNotTheGoodLinesBeside() {
    String ndjson =
        call("beside-1", "short")
            + "\n"
            + call("beside-2", "x".repeat(2_000))
            + "\n"
            + call("beside-3", "short")
            + "\n";

    Http.Answer answer = api.post("/api/v1/logs?refresh=wait_for", "application/x-ndjson", ndjson);

    assertThat(answer.status()).as(answer.body()).isIn(200, 207, 400);
    assertThat(answer.body()).contains("max_string_length");
    assertThat(answer.json().path("accepted").asInt()).isEqualTo(2);
    assertThat(api.get("/api/v1/logs/beside-3").status()).isEqualTo(200);
  }

  @Test
  void ingest_moreRecordsThanMaxRecordsPerRequest_is413NamingTheLimit() {
    StringBuilder ndjson = new StringBuilder();
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < 11; i++) {
      ndjson.append(call("many-" + i, "p")).append('\n');
      bulk.append("{\"index\":{\"_index\":\"llm-logs\"}}\n")
          .append(call("bulk-many-" + i, "p"))
          .append('\n');
    }

    Http.Answer nativeApi = api.post("/api/v1/logs", "application/x-ndjson", ndjson.toString());
    Http.Answer bulkApi = es.post("/_bulk", "application/x-ndjson", bulk.toString());

    assertThat(nativeApi.status()).as(nativeApi.body()).isEqualTo(413);
    assertThat(nativeApi.body()).contains("max_records_per_request");
    assertThat(bulkApi.status()).as(bulkApi.body()).isEqualTo(413);
    assertThat(bulkApi.json().path("error").path("reason").asText())
        .contains("max_records_per_request");
  }

  @Test
  void everyFamilysIndex_isDurablePerRequest() {
    String day = "2026.01.02";
    for (IndexFamily family : IndexFamily.values()) {
      // The templates llmlog installed decide the settings of any index of the family, whoever
      // creates it.
      engine.put("/" + family.index(engine.indexPrefix(), day), "{}");
    }
    String alerting = engine.indexPrefix() + "llmlog-alerting";
    if (engine.send("HEAD", "/" + alerting, null).statusCode() == 404) {
      engine.put("/" + alerting, "{}");
    }
    JsonNode settings = Http.JSON.valueToTree(Map.of());
    try {
      settings =
          Http.JSON.readTree(
              engine.get(
                  "/"
                      + engine.indexPrefix()
                      + "*/_settings/index.translog.durability?flat_settings=true"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (IndexFamily family : IndexFamily.values()) {
      String index = family.index(engine.indexPrefix(), day);
      assertThat(settings.path(index).path("settings").path("index.translog.durability").asText())
          .as(index)
          .isEqualTo("request");
    }
    assertThat(settings.path(alerting).path("settings").path("index.translog.durability").asText())
        .isEqualTo("request");
  }
}
