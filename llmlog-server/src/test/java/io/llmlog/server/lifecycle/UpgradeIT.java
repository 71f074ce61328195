package io.llmlog.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.MutableClock;
import io.llmlog.server.TestServers;
import io.llmlog.server.store.IndexSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new llmlog on the data of the previous one: indices and an archive written with the previous
 * index templates (schema version 1, templates without a version) are searched, merged, archived
 * and restored by this llmlog, which installs its own templates (version {@link
 * IndexSchema#VERSION}) at start; and an engine holding a newer version refuses this llmlog's
 * start.
 *
 * <p><b>How the fixture {@code src/test/resources/upgrade/schema-1} was made.</b> The previous
 * version of llmlog (commit 3650cfb, the last one before index templates carried a schema version)
 * was built and started as {@code java -jar llmlog-server.jar serve --config llmlog.yaml --data-dir
 * DIR --port 0 --es-port 0} with the {@code llmlog.yaml} kept beside the fixture (lifecycle: logs
 * and quality warm after 1d, cold after 2d). {@code calls.ndjson} was posted to {@code
 * /api/v1/logs} and {@code quality.ndjson} to {@code /api/v1/quality} (both with {@code
 * refresh=wait_for}). Then, from its embedded engine: {@code templates.json} is {@code GET
 * /_index_template/llmlog-*} as it answered, and {@code documents.ndjson} is every hit of a {@code
 * _search} over its call and quality indices (index, id and source). Last, {@code POST
 * /api/v1/lifecycle/run} archived the days, and {@code archive/llm-logs-2026.01.01} is the archive
 * it wrote for that day, copied as it was.
 */
@ExtendWith(SharedEngineExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String FIXTURE = "/upgrade/schema-1/";

  @TempDir Path dataDir;

  @Test
  @Order(1)
  void start_onThePreviousVersionsData_searchesMergesArchivesAndRestoresIt(TestEngine engine)
      throws Exception {
    String prefix = engine.indexPrefix();
    installPreviousTemplates(engine);
    writePreviousDocuments(engine);
    copyPreviousArchive(prefix);
    String oldDay = prefix + "llm-logs-2026.01.10";
    assertThat(
            JSON.readTree(engine.get("/" + oldDay + "/_mapping"))
                .path(oldDay)
                .path("mappings")
                .path("_meta")
                .isMissingNode())
        .as("the previous templates wrote no schema version")
        .isTrue();

    MutableClock clock = new MutableClock(Instant.parse("2026-01-15T12:00:00Z"));
    Map<String, Object> lifecycle =
        Map.of(
            "interval",
            "24h",
            "logs",
            Map.of("warm_after", "30d", "cold_after", "90d"),
            "quality",
            Map.of("warm_after", "30d", "cold_after", "90d"));
    try (LlmlogServer server = LifecycleServers.start(engine, dataDir, clock, null, lifecycle)) {
      Http api = new Http(TestServers.api(server));

      // Its own templates are in place, the previous days untouched.
      JsonNode template =
          JSON.readTree(engine.get("/_index_template/" + prefix + "llmlog-logs"))
              .path("index_templates")
              .path(0);
      assertThat(template.path("index_template").path("_meta").path("schema_version").asInt())
          .isEqualTo(IndexSchema.VERSION);
      assertThat(engine.count(oldDay)).isEqualTo(3);

      // Searchable: KQL over the previous day, and a call looked up with its quality record.
      Http.Answer found =
          api.get(
              "/api/v1/search?q="
                  + URLEncoder.encode("model:gpt-4 and latency_ms < 1000", StandardCharsets.UTF_8)
                  + "&from=2026-01-10T00:00:00Z&to=2026-01-11T00:00:00Z");
      assertThat(found.status()).as(found.body()).isEqualTo(200);
      assertThat(found.json().path("hits"))
          .extracting(hit -> hit.path("request_id").asText())
          .containsExactly("v1-0110-a");
      Http.Answer call = api.get("/api/v1/logs/v1-0110-a");
      assertThat(call.json().path("quality").path(0).path("rating").asInt()).isEqualTo(5);

      // A late call still lands in the previous day's index, a new day gets the new template.
      Http.Answer ingested =
          api.post(
              "/api/v1/logs?refresh=wait_for",
              "application/x-ndjson",
              "{\"request_id\":\"v2-0110-late\",\"timestamp\":\"2026-01-10T23:00:00Z\",\"model\":\"gpt-4\",\"latency_ms\":10}\n"
                  + "{\"request_id\":\"v2-0114\",\"timestamp\":\"2026-01-14T10:00:00Z\",\"model\":\"gpt-4\",\"latency_ms\":10,"
                  + "\"prompt\":\"请翻译成英文：早上好\",\"response\":\"good morning\"}\n");
      assertThat(ingested.json().path("accepted").asInt()).as(ingested.body()).isEqualTo(2);
      assertThat(engine.count(oldDay)).isEqualTo(4);

      // Chinese words over both analyses at once: one token per character on the previous day,
      // pairs of characters on the new one. The previous day's call holds 翻译 in its prompt and
      // 早上好 in its response; the new day's both in its prompt.
      Map<String, List<String>> searches =
          Map.of(
              "翻译", List.of("v1-0110-c", "v2-0114"),
              "早上好", List.of("v1-0110-c", "v2-0114"),
              "prompt:翻 and good", List.of("v1-0110-c", "v2-0114"),
              "\"翻译成英文\"", List.of("v2-0114"),
              "翻英", List.of());
      for (Map.Entry<String, List<String>> search : searches.entrySet()) {
        Http.Answer both =
            api.get(
                "/api/v1/search?q="
                    + URLEncoder.encode(search.getKey(), StandardCharsets.UTF_8)
                    + "&from=2026-01-10T00:00:00Z&to=2026-01-15T00:00:00Z");
        assertThat(both.status()).as(both.body()).isEqualTo(200);
        assertThat(both.json().path("hits"))
            .as(search.getKey())
            .extracting(hit -> hit.path("request_id").asText())
            .containsExactlyInAnyOrderElementsOf(search.getValue());
      }

      // Warm: write-blocked and merged like any day.
      clock.set(Instant.parse("2026-02-15T12:00:00Z"));
      run(api);
      JsonNode settings =
          JSON.readTree(engine.get("/" + oldDay + "/_settings?flat_settings=true"))
              .path(oldDay)
              .path("settings");
      assertThat(settings.path("index.blocks.write").asText()).isEqualTo("true");
      assertThat(
              JSON.readTree(engine.get("/" + oldDay + "/_segments"))
                  .path("indices")
                  .path(oldDay)
                  .path("shards")
                  .path("0")
                  .path(0)
                  .path("num_search_segments")
                  .asInt())
          .isEqualTo(1);

      // Cold: archived, verified and deleted.
      clock.set(Instant.parse("2026-04-15T12:00:00Z"));
      run(api);
      assertThat(engine.send("HEAD", "/" + oldDay, null).statusCode()).isEqualTo(404);
      assertThat(day(api, "2026.01.10").path("phase").asText()).isEqualTo("archived");
      assertThat(day(api, "2026.01.10").path("archive").path("documents").asLong()).isEqualTo(4);

      // The previous version's own archive: searched without restoring, then restored.
      Http.Answer archived =
          api.get(
              "/api/v1/lifecycle/search?from=2026.01.01&q="
                  + URLEncoder.encode("model:gpt-4o", StandardCharsets.UTF_8));
      assertThat(archived.status()).as(archived.body()).isEqualTo(200);
      assertThat(archived.json().path("hits"))
          .extracting(hit -> hit.path("_source").path("request_id").asText())
          .containsExactly("v1-0101-b");
      Http.Answer restored =
          api.postJson("/api/v1/lifecycle/restore", "{\"day\":\"2026.01.01\",\"family\":\"logs\"}");
      assertThat(restored.status()).as(restored.body()).isEqualTo(200);
      assertThat(restored.json().path("documents").asLong()).isEqualTo(3);
      engine.refresh(prefix + "llm-logs-2026.01.01");
      assertThat(engine.count(prefix + "llm-logs-2026.01.01")).isEqualTo(3);
    }
  }

  @Test
  @Order(2)
  void start_engineHoldsANewerSchemaVersion_isRefusedNamingBoth(TestEngine engine)
      throws Exception {
    String name = engine.indexPrefix() + "llmlog-logs";
    ObjectNode newer =
        (ObjectNode)
            JSON.readTree(engine.get("/_index_template/" + name))
                .path("index_templates")
                .path(0)
                .path("index_template");
    int installed = newer.path("_meta").path("schema_version").asInt(IndexSchema.UNVERSIONED);
    ((ObjectNode) newer.path("_meta")).put("schema_version", IndexSchema.VERSION + 1);
    engine.put("/_index_template/" + name, newer.toString());
    try {
      assertThatThrownBy(
              () ->
                  LifecycleServers.start(
                      engine,
                      dataDir,
                      new MutableClock(Instant.parse("2026-01-15T12:00:00Z")),
                      null,
                      Map.of()))
          .isInstanceOf(LlmlogServer.StartupException.class)
          .hasMessageContaining(
              "index template " + name + " of schema version " + (IndexSchema.VERSION + 1))
          .hasMessageContaining(
              "written by a newer llmlog; this llmlog writes version " + IndexSchema.VERSION);
      JsonNode untouched =
          JSON.readTree(engine.get("/_index_template/" + name))
              .path("index_templates")
              .path(0)
              .path("index_template");
      assertThat(untouched.path("_meta").path("schema_version").asInt())
          .as("the refused start put nothing back")
          .isEqualTo(IndexSchema.VERSION + 1);
    } finally {
      ((ObjectNode) newer.path("_meta")).put("schema_version", installed);
      engine.put("/_index_template/" + name, newer.toString());
    }
  }

  private static void run(Http api) {
    Http.Answer run = api.postJson("/api/v1/lifecycle/run", "");
    assertThat(run.status()).as(run.body()).isEqualTo(200);
    assertThat(run.json().path("failures").asInt()).as(run.body()).isZero();
  }

  private static JsonNode day(Http api, String day) {
    for (JsonNode node : api.get("/api/v1/lifecycle").json().path("days")) {
      if (node.path("family").asText().equals("logs") && node.path("day").asText().equals(day)) {
        return node;
      }
    }
    throw new AssertionError("no day " + day + " in the lifecycle status");
  }

  /** The previous version's templates as it installed them, under this test's index prefix. */
  private static void installPreviousTemplates(TestEngine engine) throws IOException {
    for (JsonNode entry : JSON.readTree(resource("templates.json")).path("index_templates")) {
      ObjectNode template = (ObjectNode) entry.path("index_template");
      ArrayNode patterns = JSON.createArrayNode();
      template
          .path("index_patterns")
          .forEach(pattern -> patterns.add(engine.indexPrefix() + pattern.asText()));
      template.set("index_patterns", patterns);
      engine.put(
          "/_index_template/" + engine.indexPrefix() + entry.path("name").asText(),
          template.toString());
    }
  }

  /**
   * The documents as the previous version stored them, the indices created by its templates; but
   * for 2026.01.01, which is on disk only as the previous version's archive.
   */
  private static void writePreviousDocuments(TestEngine engine) throws IOException {
    for (String line : resource("documents.ndjson").split("\n")) {
      JsonNode document = JSON.readTree(line);
      if (document.path("index").asText().equals("llm-logs-2026.01.01")) {
        continue;
      }
      String index = engine.indexPrefix() + document.path("index").asText();
      engine.put(
          "/" + index + "/_doc/" + document.path("id").asText() + "?refresh=true",
          document.path("source").toString());
    }
  }

  /**
   * Its archive of a day, where this server's archive directory has it (the folder carries the
   * index prefix).
   */
  private void copyPreviousArchive(String prefix) throws IOException, URISyntaxException {
    Path source =
        Path.of(UpgradeIT.class.getResource(FIXTURE + "archive/llm-logs-2026.01.01").toURI());
    Path target = dataDir.resolve("archive").resolve(prefix + "llm-logs-2026.01.01");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
  }

  private static String resource(String name) {
    try (var in = UpgradeIT.class.getResourceAsStream(FIXTURE + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
