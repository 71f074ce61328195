package io.llmlog.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.Http;
import io.llmlog.server.ServerProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 3: kill -9 the server (and its embedded engine) in the middle of an export, then start
 * it again. Right after the kill the day is whole in its index and no manifest claims an archive;
 * after the restart the manager finishes the step: a complete, verified archive and no index. The
 * export is slowed with the test-only {@code lifecycle.export_pause} so that the kill lands inside
 * it.
 */
class LifecycleCrashIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int DOCUMENTS = 20_000;

  @Test
  void archive_killedDuringExport_dayStaysWholeAndTheRestartFinishesIt() throws Exception {
    Path dataDir = Files.createTempDirectory("llmlog-lifecycle-crash-it");
    Path config = dataDir.resolve("llmlog.yaml");
    Files.writeString(
        config,
        """
        lifecycle:
          interval: 1h
          export_batch: 500
          export_pause: 250ms
          part_size: 256KB
        """);
    int port = ServerProcesses.freePort();
    Http api = new Http(URI.create("http://127.0.0.1:" + port + "/"));
    Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(100));
    String dayText = DayIndex.day(day.atOffset(ZoneOffset.UTC).toLocalDate());
    String index = "llm-logs-" + dayText;
    Path archive = dataDir.resolve("archive").resolve(index);

    // 1. A server with the manager off: 20,000 calls of a day 100 days ago (past cold_after: 90d).
    Process server = startServer(dataDir, config, port, false);
    ServerProcesses.awaitHealthy(api, server);
    for (int batch = 0; batch < DOCUMENTS / 1000; batch++) {
      StringBuilder body = new StringBuilder();
      for (int i = 0; i < 1000; i++) {
        int n = batch * 1000 + i;
        body.append(
                JSON.writeValueAsString(
                    Map.of(
                        "request_id",
                        "crash-" + n,
                        "timestamp",
                        day.plusSeconds(n % 86_400).toString(),
                        "model",
                        n % 3 == 0 ? "gpt-4o" : "qwen-max",
                        "prompt",
                        "第" + n + "个问题：请总结这份季度财报的要点 and list the follow-ups " + "x".repeat(n % 700),
                        "latency_ms",
                        100.5 + n)))
            .append('\n');
      }
      Http.Answer answer = api.post("/api/v1/logs", "application/x-ndjson", body.toString());
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }
    server.destroy();
    server.waitFor();

    // 2. The manager on: its first run starts exporting; kill -9 once a few parts are written.
    server = startServer(dataDir, config, port, true);
    ServerProcesses.awaitHealthy(api, server);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (parts(archive) < 3 && System.nanoTime() < deadline) {
      assertThat(server.isAlive()).isTrue();
      Thread.sleep(20);
    }
    long partsAtKill = parts(archive);
    server.destroyForcibly().waitFor();
    assertThat(partsAtKill).as("the export had started").isGreaterThanOrEqualTo(3);
    List<Path> manifests = find(archive, "manifest.json");
    System.out.printf(
        "LifecycleCrashIT: killed (-9) with %d part files of the export written; manifests on disk: %d%n",
        partsAtKill, manifests.size());
    assertThat(manifests).as("no manifest claims a complete archive").isEmpty();

    // 3. Restarted with the manager off: the index is whole.
    server = startServer(dataDir, config, port, false);
    ServerProcesses.awaitHealthy(api, server);
    JsonNode afterKill = day(api, index);
    System.out.printf(
        "LifecycleCrashIT: after the kill: phase %s, index documents %d, archive %s%n",
        afterKill.path("phase").asText(),
        afterKill.path("index_status").path("documents").asLong(),
        afterKill.path("archive"));
    assertThat(afterKill.path("phase").asText()).isEqualTo("cold");
    assertThat(afterKill.path("index_status").path("documents").asLong()).isEqualTo(DOCUMENTS);
    assertThat(afterKill.path("archive").path("sets").asInt()).isZero();
    assertThat(afterKill.path("archive").path("incomplete_sets").asInt()).isEqualTo(1);
    server.destroy();
    server.waitFor();

    // 4. Restarted with the manager on: it cleans up, exports again, verifies, deletes the index.
    long restarted = System.nanoTime();
    server = startServer(dataDir, config, port, true);
    ServerProcesses.awaitHealthy(api, server);
    JsonNode finished = null;
    deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < deadline) {
      finished = day(api, index);
      if (finished.path("phase").asText().equals("archived")) {
        break;
      }
      Thread.sleep(250);
    }
    System.out.printf(
        "LifecycleCrashIT: after the restart: phase %s in %.1f s, archive %s%n",
        finished.path("phase").asText(),
        (System.nanoTime() - restarted) / 1e9,
        finished.path("archive"));
    assertThat(finished.path("phase").asText()).isEqualTo("archived");
    assertThat(finished.path("index_status").isNull()).isTrue();
    assertThat(finished.path("archive").path("verified").asBoolean()).isTrue();
    server.destroy();
    server.waitFor();

    // The archive on disk, checked with the JDK alone.
    List<Path> sets;
    try (Stream<Path> list = Files.list(archive)) {
      sets = list.toList();
    }
    assertThat(sets).hasSize(1);
    Path set = sets.get(0);
    JsonNode manifest = JSON.readTree(set.resolve("manifest.json").toFile());
    assertThat(manifest.path("documents").asLong()).isEqualTo(DOCUMENTS);
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
        lines += reader.lines().count();
      }
    }
    assertThat(lines).isEqualTo(DOCUMENTS);
    try (Stream<Path> leftovers = Files.walk(archive)) {
      assertThat(leftovers.map(Path::toString))
          .noneMatch(name -> name.endsWith(".tmp") || name.contains(".trash-"));
    }
  }

  private static JsonNode day(Http api, String index) {
    Http.Answer status = api.get("/api/v1/lifecycle");
    assertThat(status.status()).as(status.body()).isEqualTo(200);
    for (JsonNode day : status.json().path("days")) {
      if (day.path("index").asText().equals(index)) {
        return day;
      }
    }
    throw new AssertionError(index + " is not in " + status.body());
  }

  private static long parts(Path set) throws IOException {
    return find(set, ".ndjson.gz").size();
  }

  private static List<Path> find(Path root, String suffix) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return new ArrayList<>(
          files.filter(path -> path.getFileName().toString().endsWith(suffix)).toList());
    }
  }

  private static Process startServer(Path dataDir, Path config, int port, boolean lifecycle)
      throws IOException {
    return ServerProcesses.start(
        dataDir,
        Map.of("LLMLOG_LIFECYCLE_ENABLED", String.valueOf(lifecycle)),
        "--config",
        config.toString(),
        "--port",
        String.valueOf(port),
        "--es-port",
        String.valueOf(ServerProcesses.freePort()));
  }
}
