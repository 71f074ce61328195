package io.llmlog.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.MutableClock;
import io.llmlog.server.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archived day whose archive is damaged while its restored copy is the whole one: one byte of
 * one part changed, the part left where it is. When the copy's keep time is over, the lifecycle
 * refuses to delete it, keeps it on every run and says why (API and log); the way out it names
 * (moving the damaged set away) makes the next run archive the copy anew and only then delete it.
 */
@ExtendWith(SharedEngineExtension.class)
class CorruptArchiveIT {
  static final LocalDate DAY = LocalDate.of(2026, 4, 20);
  static final String DAY_TEXT = "2026.04.20";
  static final int CALLS = 60;

  @TempDir Path dataDir;

  @Test
  void run_restoredCopyWhoseArchivePartChanged_isKeptWithTheReasonUntilTheSetIsMovedAway(
      TestEngine engine) throws Exception {
    long started = System.nanoTime();
    MutableClock clock = new MutableClock(DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    String index = engine.index("llm-logs-" + DAY_TEXT);
    Path archive = dataDir.resolve("archive").resolve(index);
    try (LlmlogServer server =
        LifecycleServers.start(
            engine, dataDir, clock, null, Map.of("interval", "24h", "part_size", "4KB"))) {
      Http api = new Http(TestServers.api(server));
      StringBuilder calls = new StringBuilder();
      for (int i = 0; i < CALLS; i++) {
        calls
            .append("{\"request_id\":\"corrupt-")
            .append(i)
            .append("\",\"timestamp\":\"")
            .append(DAY.atStartOfDay(ZoneOffset.UTC).plusMinutes(i * 7L).toInstant())
            .append("\",\"model\":\"gpt-4o\",\"latency_ms\":")
            .append(200 + i)
            .append(",\"prompt\":\"第")
            .append(i)
            .append(
                "个问题：请总结这份季度财报的要点 and list every follow-up with its owner and date\",\"response\":\"好的\"}\n");
      }
      Http.Answer stored =
          api.post("/api/v1/logs?refresh=wait_for", "application/x-ndjson", calls.toString());
      assertThat(stored.status()).as(stored.body()).isEqualTo(200);

      // Archived past cold_after (90 days), then restored.
      clock.set(DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofDays(92)));
      assertThat(step(run(api), index).path("ok").asBoolean()).isTrue();
      assertThat(exists(engine, index)).isFalse();
      Http.Answer restored =
          api.postJson("/api/v1/lifecycle/restore", "{\"day\":\"" + DAY_TEXT + "\"}");
      assertThat(restored.status()).as(restored.body()).isEqualTo(200);
      assertThat(restored.json().path("documents").asInt()).isEqualTo(CALLS);

      // One byte in the middle of the second part changes; the file stays where it is.
      Path part = archive.resolve("0001").resolve("part-00001.ndjson.gz");
      byte[] bytes = Files.readAllBytes(part);
      bytes[bytes.length / 2] ^= 0x5a;
      Files.write(part, bytes);

      clock.advance(Duration.ofDays(8)); // past restore_keep (7 days)
      for (int run = 0; run < 2; run++) {
        JsonNode refused = step(run(api), index);
        assertThat(refused.path("action").asText()).isEqualTo("drop_restored");
        assertThat(refused.path("ok").asBoolean()).isFalse();
        assertThat(refused.path("message").asText())
            .contains("kept the restored index " + index)
            .contains("archive set 1 does not match its manifest")
            .contains(part.toString())
            .contains("move " + archive.resolve("0001") + " out of the archive directory");
        assertThat(engine.count(index)).as("run %d", run).isEqualTo(CALLS);
        assertThat(Files.readAllBytes(part))
            .as("the damaged part is left as it is")
            .isEqualTo(bytes);
      }
      JsonNode status = api.get("/api/v1/lifecycle").json();
      assertThat(status.path("last_run").path("actions").toString())
          .contains("kept the restored index " + index);
      assertThat(day(status, index).path("phase").asText()).isEqualTo("restored");

      // The way out the message names: with the damaged set moved away, the copy is archived anew,
      // then deleted.
      Files.move(archive.resolve("0001"), dataDir.resolve("damaged-0001"));
      JsonNode archived = step(run(api), index);
      assertThat(archived.path("ok").asBoolean()).as(archived.toString()).isTrue();
      assertThat(exists(engine, index)).isFalse();
      assertThat(
              day(api.get("/api/v1/lifecycle").json(), index)
                  .path("archive")
                  .path("documents")
                  .asInt())
          .isEqualTo(CALLS);
      System.out.printf(
          "CorruptArchiveIT: the restored copy was kept on 2 runs with a changed byte in %s; archived anew once the set was "
              + "moved away: %s; %.1f s%n",
          part.getFileName(),
          archived.path("message").asText(),
          (System.nanoTime() - started) / 1e9);
    }
  }

  private static JsonNode run(Http api) {
    Http.Answer run = api.postJson("/api/v1/lifecycle/run", "");
    assertThat(run.status()).as(run.body()).isEqualTo(200);
    return run.json();
  }

  /** The run's action on {@code index}. */
  private static JsonNode step(JsonNode run, String index) {
    for (JsonNode action : run.path("actions")) {
      if (action.path("index").asText().equals(index)) {
        return action;
      }
    }
    throw new AssertionError("no action on " + index + " in " + run);
  }

  private static JsonNode day(JsonNode status, String index) {
    for (JsonNode day : status.path("days")) {
      if (day.path("index").asText().equals(index)) {
        return day;
      }
    }
    throw new AssertionError(index + " is not in " + status);
  }

  private static boolean exists(TestEngine engine, String index) {
    return engine.send("HEAD", "/" + index, null).statusCode() == 200;
  }
}
