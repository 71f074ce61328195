package io.llmlog.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.MutableClock;
import io.llmlog.server.TestServers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 1: 120 daily indices walked through every phase by moving the clock ten days at a
 * time, with the brief's policy (warm at 30 days, cold at 90) and archives deleted at 120 days.
 * After each run every day is checked against the engine and the archive directory directly, not
 * through llmlog's own view.
 */
@ExtendWith(SharedEngineExtension.class)
class LifecycleIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int DAYS = 120;
  static final LocalDate FIRST = LocalDate.of(2026, 1, 1);

  enum Expected {
    HOT,
    WARM,
    ARCHIVED,
    DELETED
  }

  @TempDir Path dataDir;

  @Test
  void run_clockMovesPastEveryDeadline_everyDayGoesHotWarmArchivedDeleted(TestEngine engine)
      throws Exception {
    long started = System.nanoTime();
    MutableClock clock =
        new MutableClock(FIRST.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    Map<String, Object> lifecycle = new LinkedHashMap<>();
    lifecycle.put("interval", "24h");
    lifecycle.put(
        "logs", Map.of("warm_after", "30d", "cold_after", "90d", "delete_archive_after", "120d"));
    Map<LocalDate, Set<Expected>> seen = new LinkedHashMap<>();
    int runs = 0;
    int actions = 0;
    try (LlmlogServer server = LifecycleServers.start(engine, dataDir, clock, null, lifecycle)) {
      Http api = new Http(TestServers.api(server));
      // Two writes per day with a refresh between: every index starts with two segments. They are
      // written as of the last day (ingest refuses timestamps far in the future), then the clock
      // goes back to the first day for the walk.
      clock.set(FIRST.plusDays(DAYS).atStartOfDay(ZoneOffset.UTC).toInstant());
      for (int round = 0; round < 2; round++) {
        StringBuilder body = new StringBuilder();
        for (int d = 0; d < DAYS; d++) {
          for (int i = 0; i < (round == 0 ? 3 : 2); i++) {
            Instant time =
                FIRST
                    .plusDays(d)
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant()
                    .plusSeconds(3600L * (i + 1 + round * 5));
            body.append(
                    JSON.writeValueAsString(
                        Map.of(
                            "request_id",
                            "d" + d + "-r" + round + "-" + i,
                            "timestamp",
                            time.toString(),
                            "model",
                            "gpt-4o",
                            "prompt",
                            "第" + d + "天的问题 question " + i,
                            "latency_ms",
                            100 + i)))
                .append('\n');
          }
        }
        Http.Answer answer =
            api.post("/api/v1/logs?refresh=wait_for", "application/x-ndjson", body.toString());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("accepted").asInt())
            .isEqualTo(round == 0 ? 3 * DAYS : 2 * DAYS);
      }
      clock.set(FIRST.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
      long created = System.nanoTime();
      Instant end =
          FIRST.plusDays(DAYS).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofDays(125));
      while (!clock.instant().isAfter(end)) {
        Http.Answer run = api.postJson("/api/v1/lifecycle/run", "");
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertThat(run.json().path("failures").asInt()).as(run.body()).isZero();
        actions += run.json().path("actions").size();
        runs++;
        check(engine, api, clock.instant(), seen);
        clock.advance(Duration.ofDays(10));
      }
      System.out.printf(
          "LifecycleIT: %d daily indices (%d documents) created in %.1f s; %d runs, %d actions, walk %.1f s, total %.1f s%n",
          DAYS,
          5 * DAYS,
          (created - started) / 1e9,
          runs,
          actions,
          (System.nanoTime() - created) / 1e9,
          (System.nanoTime() - started) / 1e9);
    }
    assertThat(seen).hasSize(DAYS);
    seen.forEach(
        (day, phases) ->
            assertThat(phases).as(day.toString()).isEqualTo(EnumSet.allOf(Expected.class)));
  }

  @Test
  void run_indexLeftClosedByAnInterruptedWarmStep_isOpenedAgainAndWarmed(TestEngine engine)
      throws Exception {
    // A day before the other test's days: both share the engine and the index prefix.
    MutableClock clock = new MutableClock(Instant.parse("2025-07-15T00:00:00Z"));
    String index = engine.indexPrefix() + "llm-logs-2025.06.02";
    try (LlmlogServer server =
        LifecycleServers.start(engine, dataDir, clock, null, Map.of("interval", "24h"))) {
      Http api = new Http(TestServers.api(server));
      for (int i = 0; i < 2; i++) {
        String call =
            JSON.writeValueAsString(
                Map.of(
                    "request_id",
                    "closed-" + i,
                    "timestamp",
                    "2025-06-02T0" + i + ":00:00Z",
                    "model",
                    "gpt-4o"));
        assertThat(api.post("/api/v1/logs?refresh=wait_for", "application/x-ndjson", call).status())
            .isEqualTo(200);
      }
      // As a warm step leaves it when the process dies between closing the index and opening it
      // again.
      engine.post("/" + index + "/_close", null);

      Http.Answer run = api.postJson("/api/v1/lifecycle/run", "");

      assertThat(run.json().path("failures").asInt()).as(run.body()).isZero();
      JsonNode settings =
          JSON.readTree(
                  engine.get(
                      "/" + index + "/_settings/index.codec,index.blocks.write?flat_settings=true"))
              .path(index)
              .path("settings");
      assertThat(settings.path("index.blocks.write").asText()).isEqualTo("true");
      assertThat(settings.path("index.codec").asText()).isEqualTo("best_compression");
      assertThat(engine.count(index)).isEqualTo(2);
    } finally {
      engine.deleteIndices(index);
    }
  }

  /**
   * Every day as the engine and the archive directory show it, against what its age says it must
   * be.
   */
  private void check(TestEngine engine, Http api, Instant now, Map<LocalDate, Set<Expected>> seen)
      throws Exception {
    String pattern = engine.indexPrefix() + "llm-logs-*";
    JsonNode settings =
        JSON.readTree(
            engine.get(
                "/"
                    + pattern
                    + "/_settings/index.uuid,index.blocks.write,index.codec?flat_settings=true&allow_no_indices=true"));
    JsonNode stats =
        JSON.readTree(
                engine.get(
                    "/" + pattern + "/_stats/segments,docs?level=indices&allow_no_indices=true"))
            .path("indices");
    Map<String, String> phases = new LinkedHashMap<>();
    for (JsonNode day : api.get("/api/v1/lifecycle").json().path("days")) {
      phases.put(day.path("index").asText(), day.path("phase").asText());
    }
    for (int d = 0; d < DAYS; d++) {
      LocalDate date = FIRST.plusDays(d);
      String index = engine.indexPrefix() + "llm-logs-" + date.toString().replace('-', '.');
      Duration age =
          Duration.between(date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), now);
      Expected expected =
          age.compareTo(Duration.ofDays(30)) < 0
              ? Expected.HOT
              : age.compareTo(Duration.ofDays(90)) < 0
                  ? Expected.WARM
                  : age.compareTo(Duration.ofDays(120)) < 0 ? Expected.ARCHIVED : Expected.DELETED;
      seen.computeIfAbsent(date, k -> EnumSet.noneOf(Expected.class)).add(expected);
      Path archive = dataDir.resolve("archive").resolve(index);
      String why = index + " at age " + age.toDays() + "d";
      switch (expected) {
        case HOT -> {
          assertThat(settings.has(index)).as(why).isTrue();
          assertThat(
                  settings.path(index).path("settings").path("index.blocks.write").asText("false"))
              .as(why)
              .isEqualTo("false");
          assertThat(archive).as(why).doesNotExist();
          assertThat(phases.get(index)).as(why).isEqualTo("hot");
        }
        case WARM -> {
          assertThat(settings.path(index).path("settings").path("index.blocks.write").asText())
              .as(why)
              .isEqualTo("true");
          assertThat(stats.path(index).path("primaries").path("segments").path("count").asInt())
              .as(why)
              .isEqualTo(1);
          assertThat(stats.path(index).path("primaries").path("docs").path("count").asInt())
              .as(why)
              .isEqualTo(5);
          assertThat(settings.path(index).path("settings").path("index.codec").asText())
              .as(why)
              .isEqualTo("best_compression");
          assertThat(archive).as(why).doesNotExist();
          assertThat(phases.get(index)).as(why).isEqualTo("warm");
        }
        case ARCHIVED -> {
          assertThat(settings.has(index)).as(why).isFalse();
          checkArchive(archive.resolve("0001"), index);
          assertThat(phases.get(index)).as(why).isEqualTo("archived");
        }
        case DELETED -> {
          assertThat(settings.has(index)).as(why).isFalse();
          assertThat(archive).as(why).doesNotExist();
          assertThat(phases).as(why).doesNotContainKey(index);
        }
      }
    }
  }

  /** The manifest's counts and checksums against the files, read with the JDK alone. */
  private static void checkArchive(Path set, String index) throws Exception {
    JsonNode manifest = JSON.readTree(set.resolve("manifest.json").toFile());
    assertThat(manifest.path("index").asText()).isEqualTo(index);
    assertThat(manifest.path("documents").asLong()).isEqualTo(5);
    assertThat(set.resolve("verification.json")).exists();
    long lines = 0;
    for (JsonNode file : manifest.path("files")) {
      byte[] bytes = Files.readAllBytes(set.resolve(file.path("name").asText()));
      assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
          .isEqualTo(file.path("sha256").asText());
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(new java.io.ByteArrayInputStream(bytes)),
                  StandardCharsets.UTF_8))) {
        long inFile =
            reader.lines().peek(line -> assertThat(line).startsWith("{\"_id\":\"d")).count();
        assertThat(inFile).isEqualTo(file.path("documents").asLong());
        lines += inFile;
      }
    }
    assertThat(lines).isEqualTo(manifest.path("documents").asLong());
    assertThat(manifest.path("index_mappings").path("properties").has("prompt")).isTrue();
  }
}
