package io.llmlog.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.core.testing.FakeUpstream;
import io.llmlog.engine.junit.ExternalEngineProcess;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.LogCapture;
import io.llmlog.server.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with API keys, and with its engine stopped under it: every proxied call still
 * succeeds, the records wait in the bounded queue and what does not fit is counted as dropped.
 */
class GatewayFailOpenIT {
  static final String UPSTREAM_KEY = "sk-upstream-" + UUID.randomUUID();
  static final String INGEST_KEY = "ingest-key-" + UUID.randomUUID();
  static final String READ_KEY = "read-key-" + UUID.randomUUID();
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  static final int QUEUE = 5;
  static final int CALLS_WHILE_DOWN = 20;

  @Test
  void gateway_engineStoppedDuringTheTest_proxiesEveryCallAndCountsWhatItCannotLog(
      @TempDir Path dir) throws Exception {
    try (LogCapture log = LogCapture.start();
        FakeUpstream upstream = FakeUpstream.start()) {
      ExternalEngineProcess engine = ExternalEngineProcess.start(dir.resolve("engine"));
      try {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("engine", Map.of("url", engine.uri().toString(), "refresh_interval", "1s"));
        settings.put("auth", Map.of("api_keys", INGEST_KEY + ":ingest," + READ_KEY + ":read"));
        settings.put(
            "gateway",
            Map.of(
                "upstreams",
                Map.of("fake", Map.of("url", upstream.uri().toString())),
                "queue_records",
                QUEUE));
        try (LlmlogServer server = TestServers.start(settings)) {
          URI base = TestServers.api(server);
          Http api = new Http(base).withAuthorization("ApiKey " + READ_KEY);

          // Keys: the gateway's own in X-Llmlog-Api-Key; Authorization is the upstream's.
          HttpResponse<String> anonymous =
              CLIENT.send(chat(base, false).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(anonymous.statusCode()).isEqualTo(401);
          assertThat(Http.JSON.readTree(anonymous.body()).path("error").path("message").asText())
              .contains("X-Llmlog-Api-Key");
          HttpResponse<String> reader =
              CLIENT.send(
                  chat(base, false).header("X-Llmlog-Api-Key", READ_KEY).build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(reader.statusCode()).isEqualTo(403);
          HttpResponse<String> first = send(base, false);
          assertThat(first.statusCode()).isEqualTo(200);
          assertThat(upstream.last().header("Authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);
          assertThat(upstream.last().header("X-Llmlog-Api-Key")).isNull();
          String firstId = first.headers().firstValue("X-Llmlog-Request-Id").orElseThrow();
          assertThat(GatewayIT.awaitCall(api, firstId).path("provider").asText()).isEqualTo("fake");

          engine.close();
          for (int i = 0; i < CALLS_WHILE_DOWN; i++) {
            HttpResponse<String> answer = send(base, i % 2 == 0);
            assertThat(answer.statusCode()).as("call %d with the engine stopped", i).isEqualTo(200);
            assertThat(answer.body()).contains(i % 2 == 0 ? "data: [DONE]" : FakeUpstream.ANSWER);
          }

          GatewayStats stats = awaitCounted(server, CALLS_WHILE_DOWN + 1);
          assertThat(stats.calls().get("fake").get("ok")).isEqualTo(CALLS_WHILE_DOWN + 1);
          assertThat(stats.records().get("stored")).isEqualTo(1);
          // Offered = queued + dropped: the queue holds QUEUE records (and the recorder one batch
          // it is retrying); the rest is counted.
          assertThat(stats.records().get("queued") + stats.records().get("dropped.queue_full"))
              .isEqualTo(CALLS_WHILE_DOWN + 1);
          assertThat(stats.records().get("dropped.queue_full")).isPositive();
          assertThat(stats.waitingRecords()).isBetween(0L, (long) QUEUE);
          assertThat(stats.ingestRetries()).isPositive();
        }
      } finally {
        engine.close();
      }
      assertThat(log.text())
          .contains("cannot store call records now")
          .doesNotContain(UPSTREAM_KEY)
          .doesNotContain(INGEST_KEY);
    }
  }

  static HttpRequest.Builder chat(URI base, boolean stream) {
    return HttpRequest.newBuilder(base.resolve("/gateway/fake/v1/chat/completions"))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + UPSTREAM_KEY)
        .header("Content-Type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"model\":\"gpt-4o-mini\",\"stream\":"
                    + stream
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
  }

  static HttpResponse<String> send(URI base, boolean stream) throws Exception {
    return CLIENT.send(
        chat(base, stream).header("X-Llmlog-Api-Key", INGEST_KEY).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The counters once every call is counted and the recorder has tried the engine at least once.
   */
  static GatewayStats awaitCounted(LlmlogServer server, long calls) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    GatewayStats stats = server.gateway().stats();
    while (System.nanoTime() < deadline
        && (stats.calls().get("fake").get("ok") < calls || stats.ingestRetries() == 0)) {
      Thread.sleep(50);
      stats = server.gateway().stats();
    }
    return stats;
  }
}
