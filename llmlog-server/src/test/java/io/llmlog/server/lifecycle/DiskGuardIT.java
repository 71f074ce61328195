package io.llmlog.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk guard through the real server: 503 on every ingest path, degraded health, the gauge, and
 * back.
 */
@ExtendWith(SharedEngineExtension.class)
class DiskGuardIT {
  static final long GB = 1L << 30;

  @TempDir Path dataDir;

  @Test
  void ingest_diskBelowMinFree_answers503WithTheReasonUntilThereIsRoomAgain(TestEngine engine)
      throws Exception {
    DiskGuardTest.FakeDisk disk = new DiskGuardTest.FakeDisk(31 * GB / 10, 250 * GB);
    try (LlmlogServer server =
        LifecycleServers.start(
            engine,
            dataDir,
            Clock.systemUTC(),
            disk,
            Map.of("disk", Map.of("enabled", true, "check_interval", "50ms")))) {
      Http api = new Http(TestServers.api(server));
      Http es = new Http(TestServers.es(server));
      String call =
          "{\"request_id\":\"disk-1\",\"model\":\"gpt-4o\",\"timestamp\":\""
              + java.time.Instant.now()
              + "\"}";

      Http.Answer refused = api.postJson("/api/v1/logs", call);
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isEqualTo("60");
      assertThat(refused.json().path("error").path("type").asText()).isEqualTo("ingest_paused");
      assertThat(refused.json().path("error").path("reason").asText())
          .startsWith("disk almost full: 3.1 GB free of 250.0 GB (1.2%) under the data directory")
          .contains("ingest paused until 8% is free");
      Http.Answer bulk =
          es.post(
              "/_bulk",
              "application/x-ndjson",
              "{\"index\":{\"_index\":\"llm-logs\"}}\n" + call + "\n");
      assertThat(bulk.status()).isEqualTo(503);
      Http.Answer health = api.get("/health");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().path("status").asText()).isEqualTo("degraded");
      assertThat(health.json().path("reason").asText()).startsWith("disk almost full");
      assertThat(health.json().path("disk").path("ingest_paused").asBoolean()).isTrue();
      assertThat(api.get("/metrics").body())
          .contains("llmlog_ingest_paused 1.0")
          .contains("llmlog_disk_free_ratio");

      disk.free = 100 * GB;
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (api.get("/health").json().path("status").asText().equals("degraded")
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(api.get("/health").json().path("status").asText()).isEqualTo("ok");
      assertThat(api.postJson("/api/v1/logs", call).status()).isEqualTo(200);
    }
  }
}
