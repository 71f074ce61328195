package io.llmlog.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.core.codec.LlmLogJson;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conversation a Filebeat or Logstash output has with Elasticsearch before it ships, played
 * against llmlog.
 */
@ExtendWith(SharedEngineExtension.class)
class ShipperSetupIT {
  @Test
  void filebeatStartup_setupCallsThenDataStreamCreates_logLinesAreStored(TestEngine engine)
      throws Exception {
    try (LlmlogServer server = TestServers.onSharedEngine(engine, Map.of())) {
      Http es = new Http(TestServers.es(server));
      Http api = new Http(TestServers.api(server));

      assertThat(es.get("/").json().path("version").path("number").asText()).startsWith("8.");
      assertThat(es.get("/_license").json().path("license").path("status").asText())
          .isEqualTo("active");
      assertThat(
              es.get("/_xpack").json().path("features").path("ilm").path("available").asBoolean())
          .isFalse();
      Http.Answer template = es.get("/_index_template/filebeat-8.17.0");
      assertThat(template.status()).isEqualTo(404);
      assertThat(template.json().path("error").path("type").asText())
          .isEqualTo("resource_not_found_exception");
      assertThat(
              es.send(
                      "PUT",
                      "/_index_template/filebeat-8.17.0",
                      "{\"index_patterns\":[\"filebeat-8.17.0\"]}")
                  .json()
                  .path("acknowledged")
                  .asBoolean())
          .isTrue();
      assertThat(es.send("HEAD", "/_ilm/policy/filebeat", null).status()).isEqualTo(404);
      assertThat(es.send("PUT", "/_ilm/policy/filebeat", "{\"policy\":{}}").status())
          .isEqualTo(200);

      String id = "filebeat-" + UUID.randomUUID();
      String line = LlmLogJson.briefLine(IngestLookupITBase.briefEntry(id), "llm-inference");
      String event =
          Http.JSON.writeValueAsString(
              Map.of(
                  "@timestamp",
                  "2026-11-28T09:00:00.000Z",
                  "message",
                  line,
                  "agent",
                  Map.of("type", "filebeat", "version", "8.17.0"),
                  "log",
                  Map.of("file", Map.of("path", "/var/log/app.log"))));
      Http.Answer bulk =
          es.post(
              "/_bulk?filter_path=errors,items.*.error,items.*.status&refresh=wait_for",
              "application/json",
              "{\"create\":{\"_index\":\"filebeat-8.17.0\"}}\n" + event + "\n");

      assertThat(bulk.json().path("errors").asBoolean()).as(bulk.body()).isFalse();
      assertThat(bulk.json().path("items").get(0).path("create").path("status").asInt())
          .isEqualTo(201);
      var document = api.get("/api/v1/logs/" + id).json().path("document");
      assertThat(document.path("model").asText()).isEqualTo("gpt-4");
      assertThat(document.path("latency_ms").asDouble()).isEqualTo(2340.5);
      assertThat(document.path("log").path("file").path("path").asText())
          .isEqualTo("/var/log/app.log");
    }
  }
}
