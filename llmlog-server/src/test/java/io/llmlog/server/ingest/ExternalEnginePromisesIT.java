package io.llmlog.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.llmlog.engine.junit.ExternalEngineProcess;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.ServerProcesses;
import io.llmlog.server.TestServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An external engine as the README promises it: several URLs of which one is down, basic auth (a
 * small authenticating proxy in front of a real node, as a secured cluster answers), and a 503 with
 * {@code Retry-After} once the engine is gone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalEnginePromisesIT {
  private static final String USER = "llmlog";
  private static final String PASSWORD = "s3cret-engine-password";

  private Path dir;
  private ExternalEngineProcess engine;
  private HttpServer proxy;
  private final AtomicInteger authorized = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    this.dir = dir;
    engine = ExternalEngineProcess.start(dir.resolve("engine"));
    proxy = authenticatingProxy(engine.uri());
  }

  @AfterAll
  void stop() {
    proxy.stop(0);
    engine.close();
  }

  /**
   * Forwards every request to the node when it carries the right Basic credentials; 401 otherwise.
   */
  private HttpServer authenticatingProxy(URI node) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            byte[] body;
            int status;
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
              refused.incrementAndGet();
              status = 401;
              body =
                  "{\"error\":{\"type\":\"security_exception\",\"reason\":\"missing authentication credentials\"},\"status\":401}"
                      .getBytes(StandardCharsets.UTF_8);
            } else {
              authorized.incrementAndGet();
              byte[] sent;
              try (InputStream in = exchange.getRequestBody()) {
                sent = in.readAllBytes();
              }
              HttpRequest.Builder forward =
                  HttpRequest.newBuilder(node.resolve(exchange.getRequestURI().toString()))
                      .method(
                          exchange.getRequestMethod(),
                          sent.length == 0
                              ? HttpRequest.BodyPublishers.noBody()
                              : HttpRequest.BodyPublishers.ofByteArray(sent));
              String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
              if (contentType != null) {
                forward.header("Content-Type", contentType);
              }
              try {
                HttpResponse<byte[]> answer =
                    client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                status = answer.statusCode();
                body = answer.body();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 502;
                body = new byte[0];
              }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
              }
            }
          }
        });
    server.start();
    return server;
  }

  private Map<String, Object> settings(String password) throws IOException {
    String down = "http://127.0.0.1:" + ServerProcesses.freePort();
    String secured = "http://127.0.0.1:" + proxy.getAddress().getPort();
    Map<String, Object> engineSettings =
        new LinkedHashMap<>(
            Map.of(
                "url",
                down + "," + secured,
                "username",
                USER,
                "password",
                password,
                "refresh_interval",
                "1s"));
    return Map.of(
        "engine",
        engineSettings,
        "server",
        new LinkedHashMap<>(Map.of("data_dir", dir.resolve("data").toString())));
  }

  @Test
  void serve_twoUrlsOneDownAndBasicAuth_storesAndSearches_thenAnswers503WhenTheEngineIsGone()
      throws IOException {
    int refusedBefore = refused.get();
    try (LlmlogServer server = TestServers.start(settings(PASSWORD))) {
      Http api = new Http(TestServers.api(server));
      StringBuilder ndjson = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        ndjson
            .append("{\"request_id\":\"ext-")
            .append(i)
            .append("\",\"timestamp\":\"")
            .append(Instant.now())
            .append("\",\"model\":\"m\"}\n");
      }

      Http.Answer stored =
          api.post("/api/v1/logs?refresh=wait_for", "application/x-ndjson", ndjson.toString());
      Http.Answer found = api.get("/api/v1/search?size=0");

      assertThat(stored.status()).as(stored.body()).isEqualTo(200);
      assertThat(stored.json().path("accepted").asInt()).isEqualTo(20);
      assertThat(found.json().path("total").asLong()).isEqualTo(20);
      assertThat(authorized.get()).isPositive();
      assertThat(refused.get())
          .as("requests without the right credentials")
          .isEqualTo(refusedBefore);

      engine.close();
      Http.Answer down =
          api.post(
              "/api/v1/logs",
              "application/x-ndjson",
              "{\"request_id\":\"ext-late\",\"model\":\"m\"}\n");

      assertThat(down.status()).as(down.body()).isEqualTo(503);
      assertThat(down.header("Retry-After")).isNotBlank();
      assertThat(down.body()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void start_wrongPassword_isRefusedAtOnceNamingTheSettingsNotThePassword() {
    assertThatThrownBy(() -> TestServers.start(settings("wrong-password-123")))
        .hasMessageContaining("refused llmlog's credentials (401 unauthorized)")
        .hasMessageContaining("engine.username")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-password-123"));
  }
}
