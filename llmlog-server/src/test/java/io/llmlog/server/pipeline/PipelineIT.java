package io.llmlog.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.codec.LlmLogJson;
import io.llmlog.core.testing.BriefExample;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The pipeline end to end: configured filters, dead letters, redaction, sampling, statistics. */
@ExtendWith(SharedEngineExtension.class)
class PipelineIT {
  static LlmLogEntry briefEntry(String requestId) {
    return BriefExample.entry(BriefExample.TIMESTAMP, requestId);
  }

  static Map<String, Object> example(String name) throws Exception {
    try (Reader reader = Files.newBufferedReader(Path.of("..", "examples", name))) {
      return Event.cast(new Load(LoadSettings.builder().build()).loadFromReader(reader));
    }
  }

  @Test
  void briefLogstashConfig_briefLoggerLineShippedAsMessage_isStoredAsLogstashWouldStoreIt(
      TestEngine engine) throws Exception {
    try (LlmlogServer server = TestServers.onSharedEngine(engine, example("brief-logstash.yaml"))) {
      Http es = new Http(TestServers.es(server));
      Http api = new Http(TestServers.api(server));
      String id = "brief-" + UUID.randomUUID();
      String line = LlmLogJson.briefLine(briefEntry(id), "llm-inference");
      String filebeat =
          Http.JSON.writeValueAsString(
              Map.of("message", line, "@timestamp", "2026-11-28T09:00:00Z"));

      Http.Answer answer =
          es.post(
              "/_bulk?refresh=wait_for",
              "application/x-ndjson",
              "{\"create\":{\"_index\":\"filebeat-8\"}}\n" + filebeat + "\n");

      assertThat(answer.json().path("errors").asBoolean()).as(answer.body()).isFalse();
      JsonNode document = api.get("/api/v1/logs/" + id).json().path("document");
      // date: llm.timestamp, not the shipper's @timestamp
      assertThat(document.path("timestamp").asText()).isEqualTo("2026-11-28T08:30:15.123456Z");
      // mutate add_field service => %{llm.service}
      assertThat(document.path("service").asText()).isEqualTo("llm-inference");
      // remove_field llm.prompt: the prompt is stored nowhere
      assertThat(document.path("llm").has("prompt")).isFalse();
      assertThat(document.has("prompt")).isFalse();
      assertThat(document.toString()).doesNotContain("解释机器学习的基本概念");
      // ruby: metrics to top-level fields
      assertThat(document.path("input_tokens").asInt()).isEqualTo(15);
      assertThat(document.path("output_tokens").asInt()).isEqualTo(256);
      assertThat(document.path("latency_ms").asDouble()).isEqualTo(2340.5);
      assertThat(document.path("llm").path("metrics").path("ttft_ms").asDouble()).isEqualTo(180.2);
      assertThat(document.path("llm").path("config").path("max_tokens").asInt()).isEqualTo(2048);
    }
  }

  @Test
  void ingest_recordAFilterCannotProcess_goesToDeadLettersAndItsBatchIsStored(TestEngine engine) {
    try (LlmlogServer server = TestServers.onSharedEngine(engine, Map.of())) {
      Http api = new Http(TestServers.api(server));
      String good = "dl-good-" + UUID.randomUUID();
      String body =
          "{\"request_id\":\""
              + good
              + "\",\"model\":\"gpt-4\"}\n"
              + "{\"message\":\"{\\\"request_id\\\": \\\"dl-bad\\\", broken\"}\n";

      Http.Answer answer = api.post("/api/v1/logs?refresh=wait_for", "application/x-ndjson", body);

      assertThat(answer.json().path("accepted").asInt()).as(answer.body()).isEqualTo(2);
      assertThat(api.get("/api/v1/logs/" + good).status()).isEqualTo(200);
      engine.refresh(engine.indexPrefix() + "llm-deadletter-*");
      String letters =
          engine.post(
              "/" + engine.indexPrefix() + "llm-deadletter-*/_search",
              "{\"query\":{\"match_all\":{}}}");
      JsonNode hit = Http.JSON.readTree(letters).path("hits").path("hits").get(0).path("_source");
      assertThat(hit.path("filter").asText()).isEqualTo("json");
      assertThat(hit.path("reason").asText()).contains("invalid JSON");
      assertThat(hit.path("record").asText()).contains("broken");
      JsonNode stats = api.get("/api/v1/stats/pipeline").json().path("calls");
      assertThat(stats.get(0).path("filter").asText()).isEqualTo("json");
      assertThat(stats.get(0).path("failed").asLong()).isEqualTo(1);
      assertThat(api.get("/metrics").body())
          .contains(
              "llmlog_pipeline_events_total{filter=\"json\",outcome=\"failed\",step=\"0\"} 1.0");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void defaultPipeline_piiInPrompt_isRedactedAndMarkedAndCosted(TestEngine engine) {
    try (LlmlogServer server = TestServers.onSharedEngine(engine, Map.of())) {
      Http api = new Http(TestServers.api(server));
      String id = "pii-" + UUID.randomUUID();
      String record =
          "{\"request_id\":\""
              + id
              + "\",\"model\":\"gpt-4o\",\"input_tokens\":1000,\"output_tokens\":500,"
              + "\"prompt\":\"我的手机号是13812345678，邮箱 zhang.san@example.com，请退款\",\"response\":\"已为您处理\"}";

      api.post("/api/v1/logs?refresh=wait_for", "application/json", record);

      JsonNode document = api.get("/api/v1/logs/" + id).json().path("document");
      assertThat(document.path("prompt").asText())
          .doesNotContain("13812345678")
          .doesNotContain("zhang.san@example.com")
          .contains("请退款");
      assertThat(document.path("redacted")).hasSize(2);
      assertThat(document.path("cost_usd").asDouble()).isPositive();
      JsonNode redact = api.get("/api/v1/stats/pipeline").json().path("calls").get(3);
      assertThat(redact.path("filter").asText()).isEqualTo("redact");
      assertThat(redact.path("redacted").size()).isEqualTo(2);
    }
  }

  @Test
  void defaultPipeline_openAiShapedMessages_areStoredStructuredRenderedAndRedacted(
      TestEngine engine) {
    try (LlmlogServer server = TestServers.onSharedEngine(engine, Map.of())) {
      Http api = new Http(TestServers.api(server));
      String id = "msg-" + UUID.randomUUID();
      String record =
          "{\"request_id\":\""
              + id
              + "\",\"model\":\"gpt-4o\",\"input_messages\":["
              + "{\"role\":\"system\",\"content\":\"你是一个AI助手\"},"
              + "{\"role\":\"user\",\"content\":\"订单退款，邮箱 zhang.san@example.com\"},"
              + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"function\":{\"name\":\"refund\",\"arguments\":\"{\\\"phone\\\":\\\"13812345678\\\"}\"}}]},"
              + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"ok\"}],"
              + "\"output_messages\":[{\"role\":\"assistant\",\"content\":\"已为您处理\",\"finish_reason\":\"stop\"}]}";

      Http.Answer stored = api.post("/api/v1/logs?refresh=wait_for", "application/json", record);

      assertThat(stored.json().path("accepted").asInt()).as(stored.body()).isEqualTo(1);
      JsonNode document = api.get("/api/v1/logs/" + id).json().path("document");
      assertThat(document.path("system_prompt").asText()).isEqualTo("你是一个AI助手");
      assertThat(document.path("prompt").asText())
          .startsWith("user: 订单退款")
          .contains("[tool_call refund")
          .contains("tool: [tool_result c1] ok");
      assertThat(document.path("response").asText()).isEqualTo("已为您处理");
      JsonNode call = document.path("input_messages").get(2).path("parts").get(0);
      assertThat(call.path("type").asText()).isEqualTo("tool_call");
      assertThat(call.path("name").asText()).isEqualTo("refund");
      assertThat(document.toString())
          .doesNotContain("zhang.san@example.com")
          .doesNotContain("13812345678");
      assertThat(document.path("output_messages").get(0).path("finish_reason").asText())
          .isEqualTo("stop");
      // The rendered texts are what search finds; the structured messages are kept, not indexed.
      assertThat(
              api.get(
                      "/api/v1/search?q="
                          + java.net.URLEncoder.encode(
                              "request_id:\"" + id + "\" and 退款",
                              java.nio.charset.StandardCharsets.UTF_8))
                  .json()
                  .path("total")
                  .asLong())
          .isEqualTo(1);
      Http.Answer notIndexed = api.get("/api/v1/search?q=input_messages:refund");
      assertThat(notIndexed.status()).isEqualTo(400);
      assertThat(notIndexed.body())
          .contains("input_messages is kept with each call but not indexed");
    }
  }

  @Test
  void ingest_messagesOfAnUnknownShape_areRejectedNamingTheMessage(TestEngine engine) {
    try (LlmlogServer server = TestServers.onSharedEngine(engine, Map.of())) {
      Http api = new Http(TestServers.api(server));
      String body =
          "{\"request_id\":\"msg-ok-"
              + UUID.randomUUID()
              + "\",\"model\":\"m\"}\n"
              + "{\"request_id\":\"msg-bad\",\"model\":\"m\",\"input_messages\":[{\"content\":\"no role\"}]}\n";

      Http.Answer answer = api.post("/api/v1/logs?refresh=wait_for", "application/x-ndjson", body);

      assertThat(answer.json().path("accepted").asInt()).as(answer.body()).isEqualTo(1);
      assertThat(answer.json().path("errors").get(0).path("field").asText())
          .isEqualTo("input_messages[0].role");
    }
  }

  @Test
  void sampling_partsOfCallsInAnyOrder_storeWholeCallsOrNothing(TestEngine engine) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put(
        "pipeline",
        List.of(
            Map.of("flatten", Map.of()),
            Map.of("date", Map.of()),
            Map.of("sample", Map.of("rate", 0.3))));
    try (LlmlogServer server = TestServers.onSharedEngine(engine, settings)) {
      Http api = new Http(TestServers.api(server));
      String run = "split-" + UUID.randomUUID();
      String time = Instant.now().toString();
      StringBuilder requests = new StringBuilder();
      StringBuilder responses = new StringBuilder();
      for (int i = 0; i < 400; i++) {
        String id = run + "-" + i;
        boolean failed = i % 10 == 0;
        String request =
            "{\"request_id\":\""
                + id
                + "\",\"timestamp\":\""
                + time
                + "\",\"model\":\"m\",\"prompt\":\"p\"}\n";
        String response =
            "{\"request_id\":\""
                + id
                + "\",\"timestamp\":\""
                + time
                + "\",\"latency_ms\":300,\"response\":\"r\""
                + (failed ? ",\"level\":\"error\"" : "")
                + "}\n";
        // Half the calls send the request part first, half the response part first.
        (i % 2 == 0 ? requests : responses).append(request);
        (i % 2 == 0 ? responses : requests).append(response);
      }
      api.post("/api/v1/logs?refresh=wait_for", "application/x-ndjson", requests.toString());
      api.post("/api/v1/logs?refresh=wait_for", "application/x-ndjson", responses.toString());

      int whole = 0;
      int errorsStored = 0;
      for (JsonNode hit : listAll(api, run)) {
        assertThat(hit.has("prompt") && hit.has("response"))
            .as("a stored call has both parts: %s", hit)
            .isTrue();
        assertThat(hit.path("sample_pending").asBoolean(false)).isFalse();
        whole++;
        errorsStored += "error".equals(hit.path("level").asText()) ? 1 : 0;
      }
      System.out.printf(
          "PipelineIT: %d of 400 split calls stored whole, %d of 40 errors%n", whole, errorsStored);
      assertThat(errorsStored).isEqualTo(40);
      assertThat(whole).isBetween(40 + 70, 40 + 150);
    }
  }

  private static List<JsonNode> listAll(Http api, String run) {
    List<JsonNode> hits = new java.util.ArrayList<>();
    for (JsonNode hit : api.get("/api/v1/logs?model=m&size=1000").json().path("hits")) {
      if (hit.path("request_id").asText().startsWith(run)) {
        hits.add(hit);
      }
    }
    return hits;
  }
}
