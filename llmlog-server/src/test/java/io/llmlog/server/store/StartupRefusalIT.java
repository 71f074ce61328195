package io.llmlog.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import io.llmlog.server.cli.LlmlogCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve} against an external engine that already holds another index template for {@code
 * llm-logs-*} at llmlog's priority (the brief's own setup) or above it (which the engine itself
 * would accept): start-up stops at once with a message naming the template and the two fixes, and
 * either fix lets it start.
 */
@ExtendWith(SharedEngineExtension.class)
class StartupRefusalIT {
  @TempDir Path dir;

  @Test
  void serve_engineHoldingAConflictingTemplate_exitsAtOnceNamingItAndStartsOnceRemoved(
      TestEngine engine) throws IOException {
    String briefTemplate = engine.index("brief");
    engine.put(
        "/_index_template/" + briefTemplate,
        "{\"index_patterns\": [\""
            + engine.index("llm-logs-*")
            + "\"], \"priority\": 200,"
            + " \"template\": {\"mappings\": {\"properties\": {\"model\": {\"type\": \"keyword\"}}}}}");
    Path config = dir.resolve("llmlog.yaml");
    Files.writeString(
        config,
        "server:\n  data_dir: "
            + dir.resolve("data")
            + "\nengine:\n  url: "
            + engine.uri()
            + "\n  index_prefix: "
            + engine.indexPrefix()
            + "\n");
    StringWriter err = new StringWriter();
    CommandLine serve = LlmlogCommand.commandLine();
    serve.setErr(new PrintWriter(err, true));

    long start = System.nanoTime();
    int status =
        serve.execute("serve", "--config", config.toString(), "--port", "0", "--es-port", "0");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf("serve refused by the conflicting template after %d ms%n", took.toMillis());

    assertThat(status).isEqualTo(1);
    // Refused at once, not after the 60 s of waiting that a transient failure gets (which would end
    // in "was not ready within 60 s"); the time is reported above, not asserted.
    assertThat(err.toString())
        .doesNotContain("not ready within")
        .contains("index template [" + briefTemplate + "]")
        .contains("same priority 200")
        .contains("curl -X DELETE '" + engine.uri() + "/_index_template/" + briefTemplate + "'")
        .contains("engine.template_priority: 201")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");

    engine.send("DELETE", "/_index_template/" + briefTemplate, null);
    try (LlmlogServer server = TestServers.start(settings(engine, Map.of()))) {
      assertThat(server.port()).isPositive();
    }
  }

  @Test
  void start_higherTemplatePriorityConfigured_startsBesideTheOtherTemplate(TestEngine engine) {
    String prefix = engine.indexPrefix() + "p-";
    String other = prefix + "other-tool";
    engine.put(
        "/_index_template/" + other,
        "{\"index_patterns\": [\"" + prefix + "llm-*\"], \"priority\": 200}");
    try (LlmlogServer server =
        TestServers.start(
            settings(engine, Map.of("index_prefix", prefix, "template_priority", 201)))) {
      assertThat(engine.get("/_index_template/" + prefix + "llmlog-logs"))
          .contains("\"priority\":201");
    } finally {
      engine.send("DELETE", "/_index_template/" + other, null);
    }
  }

  @Test
  void start_otherTemplateAtAHigherPriority_isRefusedNamingItAndStartsAboveIt(TestEngine engine) {
    String prefix = engine.indexPrefix() + "h-";
    String older = prefix + "older-tool";
    // The engine accepts this beside llmlog's template at 200, and would then give llmlog's new
    // indices its mapping.
    engine.put(
        "/_index_template/" + older,
        "{\"index_patterns\": [\""
            + prefix
            + "llm-*\"], \"priority\": 500,"
            + " \"template\": {\"mappings\": {\"properties\": {\"latency_ms\": {\"type\": \"keyword\"}}}}}");
    try {
      long start = System.nanoTime();
      assertThatThrownBy(
              () -> TestServers.start(settings(engine, Map.of("index_prefix", prefix))).close())
          .hasCauseInstanceOf(EngineRefusedException.class)
          .hasMessageContaining(
              "index template ["
                  + older
                  + "] for the indices of llmlog's template "
                  + prefix
                  + "llmlog-logs ("
                  + prefix
                  + "llm-logs-*)")
          .hasMessageContaining("at a higher priority 500 than llmlog's 200")
          .hasMessageContaining(
              "curl -X DELETE '" + engine.uri() + "/_index_template/" + older + "'")
          .hasMessageContaining("engine.template_priority: 501");
      System.out.printf(
          "start refused by a template at a higher priority after %d ms%n",
          (System.nanoTime() - start) / 1_000_000);
      assertThat(
              engine.send("GET", "/_index_template/" + prefix + "llmlog-logs", null).statusCode())
          .as("nothing installed")
          .isEqualTo(404);

      try (LlmlogServer server =
          TestServers.start(
              settings(
                  engine,
                  Map.of(
                      "index_prefix",
                      prefix,
                      "template_priority",
                      501,
                      "refresh_interval",
                      "1s")))) {
        Http api = new Http(TestServers.api(server));
        Http.Answer stored =
            api.postJson(
                "/api/v1/logs?refresh=wait_for",
                "{\"request_id\":\"above-1\",\"model\":\"m\",\"latency_ms\":12.5}");
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(engine.get("/" + prefix + "llm-logs-*/_mapping/field/latency_ms"))
            .as("llmlog's mapping, not the other's")
            .contains("\"type\":\"float\"");
      }
    } finally {
      engine.send("DELETE", "/_index_template/" + older, null);
    }
  }

  private Map<String, Object> settings(TestEngine engine, Map<String, Object> more) {
    Map<String, Object> engineSettings =
        new LinkedHashMap<>(
            Map.of("url", engine.uri().toString(), "index_prefix", engine.indexPrefix()));
    engineSettings.putAll(more);
    return Map.of(
        "engine",
        engineSettings,
        "server",
        new LinkedHashMap<>(Map.of("data_dir", dir.resolve("data").toString())));
  }
}
