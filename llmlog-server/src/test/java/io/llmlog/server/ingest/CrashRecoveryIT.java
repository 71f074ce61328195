package io.llmlog.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.server.Http;
import io.llmlog.server.ServerProcesses;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * kill -9 the server (and its embedded engine) three times while 50,000 records stream in: every
 * acknowledged record survives, and records re-sent after a crash are stored once, because the
 * request id is the document id.
 */
class CrashRecoveryIT {
  static final int RECORDS = 50_000;
  static final int BATCH = 250;
  static final int[] KILL_AFTER_BATCHES = {40, 100, 160};

  @Test
  void ingest_killedThreeTimesWhileStreaming_loosesNothingAcknowledgedAndStoresNothingTwice()
      throws Exception {
    Path dataDir = Files.createTempDirectory("llmlog-crash-it");
    int port = ServerProcesses.freePort();
    int esPort = ServerProcesses.freePort();
    Http api = new Http(URI.create("http://127.0.0.1:" + port + "/"));
    String run = "crash-" + System.nanoTime();
    Instant time = Instant.now();

    Process server = startServer(dataDir, port, esPort);
    ServerProcesses.awaitHealthy(api, server);
    Set<String> acknowledged = new LinkedHashSet<>();
    int resentRecords = 0;
    int kills = 0;
    for (int batch = 0; batch < RECORDS / BATCH; batch++) {
      List<String> ids = new ArrayList<>(BATCH);
      StringBuilder body = new StringBuilder();
      for (int i = 0; i < BATCH; i++) {
        String id = run + "-" + (batch * BATCH + i);
        ids.add(id);
        body.append("{\"request_id\":\"")
            .append(id)
            .append("\",\"model\":\"m")
            .append(i % 3)
            .append("\",\"timestamp\":\"")
            .append(time)
            .append("\",\"latency_ms\":")
            .append(100 + i)
            .append("}\n");
      }
      if (kills < KILL_AFTER_BATCHES.length && batch == KILL_AFTER_BATCHES[kills]) {
        // Kill while a batch is in flight: send it from another thread and kill during the send.
        AtomicBoolean sent = new AtomicBoolean();
        Thread inFlight = new Thread(() -> sent.set(post(api, body.toString()) == 200));
        inFlight.start();
        Thread.sleep(5);
        server.destroyForcibly().waitFor();
        inFlight.join();
        kills++;
        if (sent.get()) {
          acknowledged.addAll(ids);
        } else {
          resentRecords += BATCH;
        }
        server = startServer(dataDir, port, esPort);
        ServerProcesses.awaitHealthy(api, server);
        if (sent.get()) {
          continue;
        }
      }
      while (post(api, body.toString()) != 200) {
        resentRecords += BATCH;
        Thread.sleep(200);
      }
      acknowledged.addAll(ids);
    }

    Set<String> stored = new HashSet<>();
    int documents = 0;
    for (JsonNode hit : listAll(api, run)) {
      documents++;
      stored.add(hit.path("request_id").asText());
    }
    server.destroy();
    server.waitFor();

    System.out.printf(
        "CrashRecoveryIT: %d kills, %d acknowledged, %d records re-sent after failures, %d documents, %d distinct ids, %d duplicates%n",
        kills,
        acknowledged.size(),
        resentRecords,
        documents,
        stored.size(),
        documents - stored.size());
    assertThat(kills).isEqualTo(3);
    assertThat(acknowledged).hasSize(RECORDS);
    assertThat(stored).containsAll(acknowledged);
    assertThat(documents).isEqualTo(stored.size());
    assertThat(documents).isEqualTo(RECORDS);
  }

  /** Pages through every stored call of this run with the public listing API. */
  private static List<JsonNode> listAll(Http api, String run) throws InterruptedException {
    List<JsonNode> all = new ArrayList<>();
    // The engine refreshes every few seconds; wait until the last records are visible.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      all.clear();
      String next = null;
      do {
        Http.Answer page =
            api.get(
                "/api/v1/logs?size=1000&from=now-1d"
                    + (next == null ? "" : "&search_after=" + next));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        for (JsonNode hit : page.json().path("hits")) {
          if (hit.path("request_id").asText().startsWith(run)) {
            all.add(hit);
          }
        }
        next = page.json().path("next").isNull() ? null : page.json().path("next").asText();
      } while (next != null);
      if (all.size() >= RECORDS || System.nanoTime() > deadline) {
        return all;
      }
      Thread.sleep(1000);
    }
  }

  private static int post(Http api, String body) {
    try {
      return api.post("/api/v1/logs", "application/x-ndjson", body).status();
    } catch (RuntimeException connectionLost) {
      return -1;
    }
  }

  private static Process startServer(Path dataDir, int port, int esPort) throws IOException {
    return ServerProcesses.start(
        dataDir, Map.of(), "--port", String.valueOf(port), "--es-port", String.valueOf(esPort));
  }
}
