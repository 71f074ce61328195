package io.llmlog.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.MutableClock;
import io.llmlog.server.TestServers;
import io.llmlog.server.cli.LlmlogCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 2 and the archive commands end to end: a day is archived, listed, searched without
 * restoring (CLI and API), restored with {@code ./llmlog archive restore}, and every document's
 * {@code _id} and {@code _source} are what they were before archiving; the restored copy is kept
 * for its time and then dropped without a second export; late events for an archived day become a
 * second set.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArchiveRestoreIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final LocalDate DAY = LocalDate.of(2026, 3, 10);
  static final String DAY_TEXT = "2026.03.10";
  static final int CALLS = 300;

  @TempDir static Path dataDir;

  private TestEngine engine;
  private MutableClock clock;
  private LlmlogServer server;
  private Http api;
  private String base;
  private String index;
  private Map<String, JsonNode> before;

  @BeforeAll
  void start(TestEngine engine) throws Exception {
    this.engine = engine;
    clock =
        new MutableClock(
            DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600));
    server =
        LifecycleServers.start(
            engine,
            dataDir,
            clock,
            null,
            Map.of("interval", "24h", "compression", "zstd", "part_size", "64KB"));
    api = new Http(TestServers.api(server));
    base = "http://127.0.0.1:" + server.port();
    index = engine.indexPrefix() + "llm-logs-" + DAY_TEXT;
    ingest(calls(DAY, CALLS, 7), "/api/v1/logs");
    ingest(calls(DAY.plusDays(1), 40, 8), "/api/v1/logs");
    List<ObjectNode> quality = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      quality.add(
          JSON.createObjectNode()
              .put("request_id", DAY_TEXT + "-" + i)
              .put(
                  "timestamp",
                  DAY.atStartOfDay(ZoneOffset.UTC).plusHours(12).toInstant().toString())
              .put("rating", 1 + i % 5)
              .put("feedback", i % 2 == 0 ? "回答很有帮助" : "missed the point"));
    }
    ingest(quality, "/api/v1/quality");
    before = documents(index);
    assertThat(before).hasSize(CALLS);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * Calls with Chinese and English texts up to ~8 KB, nested error objects, metadata and exact
   * decimals.
   */
  private static List<ObjectNode> calls(LocalDate day, int count, long seed) {
    Random random = new Random(seed);
    String[] zh = {"我要退款，订单号 ", "请总结这份季度财报的要点。", "解释机器学习的基本概念。"};
    String[] en = {
      "Please refund order ", "Summarize the incident report. ", "Explain optimistic locking. "
    };
    String[] models = {"gpt-4o", "claude-3-5-sonnet", "qwen-max"};
    List<ObjectNode> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean chinese = random.nextBoolean();
      StringBuilder prompt = new StringBuilder();
      int size = 200 + random.nextInt(random.nextInt(10) == 0 ? 7800 : 1800);
      while (prompt.length() < size / 2) {
        prompt
            .append((chinese ? zh : en)[random.nextInt(3)])
            .append(random.nextInt(1000))
            .append(' ');
      }
      ObjectNode call = JSON.createObjectNode();
      call.put("request_id", DayIndex.day(day) + "-" + i);
      call.put(
          "timestamp",
          day.atStartOfDay(ZoneOffset.UTC)
              .toInstant()
              .plusSeconds(random.nextInt(86_400))
              .toString());
      call.put("model", models[random.nextInt(3)]);
      call.put("service", "chat-api");
      call.put("user_id", "user_" + random.nextInt(50));
      call.put("prompt", prompt.toString());
      call.put("response", chinese ? "好的，已经为您处理。" : "Done, here you go.");
      call.put("latency_ms", new java.math.BigDecimal(random.nextInt(90_000) + ".50"));
      call.put("input_tokens", random.nextInt(4000));
      call.put("output_tokens", random.nextInt(2000));
      call.put("level", i % 17 == 0 ? "error" : "info");
      if (i % 17 == 0) {
        call.putObject("error").put("type", "timeout").put("message", "upstream timed out");
      }
      call.putObject("metadata").put("tenant", "tenant-" + random.nextInt(5));
      calls.add(call);
    }
    return calls;
  }

  private void ingest(List<ObjectNode> records, String path) throws Exception {
    StringBuilder body = new StringBuilder();
    for (ObjectNode record : records) {
      body.append(JSON.writeValueAsString(record)).append('\n');
    }
    Http.Answer answer =
        api.post(path + "?refresh=wait_for", "application/x-ndjson", body.toString());
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("rejected").asInt()).as(answer.body()).isZero();
  }

  /** Every document of an index as the engine returns it: {@code _id} → {@code _source}. */
  private Map<String, JsonNode> documents(String name) throws Exception {
    JsonNode hits =
        JSON.readTree(
                engine.post(
                    "/" + name + "/_search", "{\"size\":10000,\"query\":{\"match_all\":{}}}"))
            .path("hits")
            .path("hits");
    Map<String, JsonNode> documents = new TreeMap<>();
    hits.forEach(hit -> documents.put(hit.path("_id").asText(), hit.path("_source")));
    return documents;
  }

  private String[] cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var command = LlmlogCommand.commandLine();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    int code = command.execute(args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  private JsonNode run() {
    Http.Answer run = api.postJson("/api/v1/lifecycle/run", "");
    assertThat(run.status()).as(run.body()).isEqualTo(200);
    assertThat(run.json().path("failures").asInt()).as(run.body()).isZero();
    return run.json();
  }

  private boolean exists(String name) {
    return engine.send("HEAD", "/" + name, null).statusCode() == 200;
  }

  @Test
  @Order(1)
  void archive_dayPastColdAfter_isListedAndSearchableWithoutRestoring() throws Exception {
    clock.set(DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofDays(92)));
    JsonNode report = run();

    assertThat(report.path("actions").toString())
        .contains(index)
        .contains(engine.indexPrefix() + "llm-quality-" + DAY_TEXT);
    assertThat(exists(index)).isFalse();
    JsonNode day = null;
    for (JsonNode candidate : api.get("/api/v1/lifecycle").json().path("days")) {
      if (candidate.path("index").asText().equals(index)) {
        day = candidate;
      }
    }
    assertThat(day).isNotNull();
    assertThat(day.path("phase").asText()).isEqualTo("archived");
    assertThat(day.path("documents").asLong()).isEqualTo(CALLS);
    assertThat(day.path("archive").path("verified").asBoolean()).isTrue();
    assertThat(day.path("archive").path("compression").asText()).isEqualTo("zstd");
    try (var parts = Files.list(dataDir.resolve("archive").resolve(index).resolve("0001"))) {
      assertThat(parts.filter(p -> p.toString().endsWith(".ndjson.zst")).count())
          .as("64KB parts")
          .isGreaterThan(3);
    }

    String[] list = cli("archive", "list", "--server", base);
    assertThat(list[0]).as(list[2]).isEqualTo("0");
    assertThat(list[1])
        .contains("logs")
        .contains(DAY_TEXT)
        .contains("archived")
        .contains("quality");

    // The same filter, by hand over the documents as they were, by the CLI, and page by page
    // through the API.
    Set<String> expected = new LinkedHashSet<>();
    before.forEach(
        (id, source) -> {
          if (source.path("model").asText().equals("gpt-4o")
              && source.path("prompt").asText().contains("退款")) {
            expected.add(id);
          }
        });
    assertThat(expected).hasSizeGreaterThan(10);
    String kql = "model:gpt-4o and 退款";
    String[] search =
        cli(
            "archive",
            "search",
            DAY_TEXT + ".." + DayIndex.day(DAY.plusDays(1)),
            kql,
            "--json",
            "--server",
            base);
    assertThat(search[0]).as(search[2]).isEqualTo("0");
    Set<String> cliIds = new LinkedHashSet<>();
    for (String line : search[1].split("\n")) {
      if (!line.isBlank()) {
        cliIds.add(JSON.readTree(line).path("_id").asText());
      }
    }
    assertThat(cliIds.stream().filter(id -> id.startsWith(DAY_TEXT)))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(cliIds)
        .as("the second day of the range")
        .anyMatch(id -> id.startsWith(DayIndex.day(DAY.plusDays(1))));

    Set<String> paged = new LinkedHashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      Http.Answer page =
          api.get(
              "/api/v1/lifecycle/search?from="
                  + DAY_TEXT
                  + "&size=7&q="
                  + URLEncoder.encode(kql, StandardCharsets.UTF_8)
                  + (cursor == null
                      ? ""
                      : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      page.json().path("hits").forEach(hit -> paged.add(hit.path("_id").asText()));
      cursor = page.json().path("next").isNull() ? null : page.json().path("next").asText();
      pages++;
    } while (cursor != null);
    assertThat(paged).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(pages).isGreaterThan(1);

    Http.Answer bad =
        api.get(
            "/api/v1/lifecycle/search?from="
                + DAY_TEXT
                + "&q="
                + URLEncoder.encode("model:gpt-4o and", StandardCharsets.UTF_8));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("error").path("type").asText()).isEqualTo("kql_syntax_error");
  }

  @Test
  @Order(2)
  void restore_archivedDay_bringsBackEveryDocumentIdenticalAndSearchable() throws Exception {
    String[] restore = cli("archive", "restore", DAY_TEXT, "--server", base);

    assertThat(restore[0]).as(restore[1] + restore[2]).isEqualTo("0");
    assertThat(restore[1]).contains("restored, " + CALLS + " documents");
    Map<String, JsonNode> after = documents(index);
    assertThat(after.keySet()).isEqualTo(before.keySet());
    int identical = 0;
    for (Map.Entry<String, JsonNode> document : before.entrySet()) {
      assertThat(after.get(document.getKey())).as(document.getKey()).isEqualTo(document.getValue());
      identical++;
    }
    System.out.printf(
        "ArchiveRestoreIT: %d of %d documents restored with identical _id and _source%n",
        identical, before.size());
    JsonNode settings =
        JSON.readTree(engine.get("/" + index + "/_settings?flat_settings=true"))
            .path(index)
            .path("settings");
    assertThat(settings.path("index.blocks.write").asText()).isEqualTo("true");
    Http.Answer lookup = api.get("/api/v1/logs/" + DAY_TEXT + "-3");
    assertThat(lookup.status()).as(lookup.body()).isEqualTo(200);
    assertThat(lookup.json().path("index").asText()).isEqualTo(index);

    // Right after: kept, not archived again.
    JsonNode report = run();
    assertThat(report.path("actions").toString()).doesNotContain(index);
    assertThat(exists(index)).isTrue();

    String[] again = cli("archive", "restore", DAY_TEXT, "--server", base);
    assertThat(again[1]).contains("already restored");
  }

  @Test
  @Order(3)
  void run_restoredCopyPastItsKeepTime_isDeletedWithoutASecondExport() throws Exception {
    clock.advance(Duration.ofDays(8));

    JsonNode report = run();

    assertThat(report.path("actions").toString())
        .contains("restored copy deleted: it still equals its archive");
    assertThat(exists(index)).isFalse();
    try (var sets = Files.list(dataDir.resolve("archive").resolve(index))) {
      assertThat(sets.map(p -> p.getFileName().toString())).containsExactly("0001");
    }
  }

  @Test
  @Order(4)
  void restore_lateEventsForAnArchivedDay_conflictUntilArchivedAsASecondSet() throws Exception {
    String day2 = DayIndex.day(DAY.plusDays(1));
    String index2 = engine.indexPrefix() + "llm-logs-" + day2;
    assertThat(exists(index2)).isFalse();
    ingest(
        List.of(
            JSON.createObjectNode()
                .put("request_id", "late-1")
                .put(
                    "timestamp",
                    DAY.plusDays(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .plusHours(3)
                        .toInstant()
                        .toString())
                .put("model", "gpt-4o")
                .put("prompt", "arrived late")),
        "/api/v1/logs");

    Http.Answer conflict = api.postJson("/api/v1/lifecycle/restore", "{\"day\":\"" + day2 + "\"}");
    assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);
    assertThat(conflict.json().path("error").path("reason").asText())
        .contains("not a restored copy");

    run();
    assertThat(exists(index2)).isFalse();
    Http.Answer restored =
        api.postJson("/api/v1/lifecycle/restore", "{\"day\":\"" + day2 + "\",\"family\":\"logs\"}");
    assertThat(restored.status()).as(restored.body()).isEqualTo(200);
    assertThat(restored.json().path("documents").asInt()).isEqualTo(41);
    assertThat(restored.json().path("sets").toString()).isEqualTo("[1,2]");
  }

  @Test
  @Order(5)
  void restore_dayWithoutArchive_is404() {
    Http.Answer missing = api.postJson("/api/v1/lifecycle/restore", "{\"day\":\"2020.01.01\"}");

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().path("error").path("reason").asText()).contains("no archive of");
  }
}
