package io.llmlog.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import io.llmlog.server.cli.LlmlogCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {
  static final String INGEST_KEY = "ingest-key-0123456789abcdef";
  static final String READ_KEY = "read-key-0123456789abcdef";
  static final String ADMIN_KEY = "admin-key-0123456789abcdef";
  static final String RECORD = "{\"request_id\":\"sec-1\",\"model\":\"gpt-4\"}";

  private LlmlogServer server;
  private Http api;
  private Http es;

  @BeforeAll
  void start(TestEngine engine) {
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put(
        "api_keys",
        List.of(
            Map.of("key", INGEST_KEY, "role", "ingest"),
            Map.of("key", READ_KEY, "role", "read"),
            Map.of("key", ADMIN_KEY, "role", "admin")));
    server = TestServers.onSharedEngine(engine, Map.of("auth", auth));
    api = new Http(TestServers.api(server));
    es = new Http(TestServers.es(server));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void serve_publicHostWithoutKeys_refusesAndSaysHowToFix() {
    StringWriter err = new StringWriter();
    CommandLine command = LlmlogCommand.commandLine();
    command.setErr(new PrintWriter(err));

    int exit =
        command.execute(
            "serve",
            "--host",
            "0.0.0.0",
            "--engine-url",
            "http://127.0.0.1:1",
            "--port",
            "0",
            "--es-port",
            "0");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .contains("refusing to listen on 0.0.0.0 without API keys")
        .contains("api_keys")
        .contains("LLMLOG_AUTH_API_KEYS")
        .contains("--insecure");
  }

  @Test
  void requests_withoutKey_are401OnBothPorts() {
    Http.Answer nativeAnswer = api.postJson("/api/v1/logs", RECORD);
    Http.Answer esAnswer =
        es.post("/_bulk", "application/x-ndjson", "{\"index\":{}}\n" + RECORD + "\n");
    Http.Answer esInfo = es.get("/");

    assertThat(nativeAnswer.status()).isEqualTo(401);
    assertThat(nativeAnswer.header("WWW-Authenticate")).contains("ApiKey");
    assertThat(esAnswer.status()).isEqualTo(401);
    assertThat(esAnswer.json().path("error").path("type").asText()).isEqualTo("security_exception");
    assertThat(esInfo.status()).isEqualTo(401);
    assertThat(api.get("/api/v1/logs").status()).isEqualTo(401);
  }

  @Test
  void requests_withWrongKey_are401() {
    assertThat(
            api.withAuthorization("ApiKey not-a-key-at-all-xxxxxxxx")
                .postJson("/api/v1/logs", RECORD)
                .status())
        .isEqualTo(401);
    assertThat(es.withAuthorization("Bearer " + READ_KEY + "x").get("/").status()).isEqualTo(401);
  }

  @Test
  void ingest_withReadKey_is403OnBothPorts() {
    Http.Answer nativeAnswer =
        api.withAuthorization("ApiKey " + READ_KEY).postJson("/api/v1/logs", RECORD);
    Http.Answer esAnswer =
        es.withAuthorization("ApiKey " + READ_KEY)
            .post("/_bulk", "application/x-ndjson", "{\"index\":{}}\n" + RECORD + "\n");

    assertThat(nativeAnswer.status()).isEqualTo(403);
    assertThat(nativeAnswer.json().path("error").path("reason").asText())
        .contains("role 'read'")
        .contains("ingest");
    assertThat(esAnswer.status()).isEqualTo(403);
  }

  @Test
  void read_withIngestKey_is403() {
    assertThat(api.withAuthorization("Bearer " + INGEST_KEY).get("/api/v1/logs").status())
        .isEqualTo(403);
  }

  @Test
  void ingest_withIngestKeyInEachAcceptedForm_isAccepted() {
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("filebeat:" + INGEST_KEY).getBytes(StandardCharsets.UTF_8));
    String esApiKey =
        "ApiKey "
            + Base64.getEncoder()
                .encodeToString(("some-id:" + INGEST_KEY).getBytes(StandardCharsets.UTF_8));

    assertThat(
            api.withAuthorization("ApiKey " + INGEST_KEY).postJson("/api/v1/logs", RECORD).status())
        .isEqualTo(200);
    assertThat(
            api.withAuthorization("Bearer " + INGEST_KEY).postJson("/api/v1/logs", RECORD).status())
        .isEqualTo(200);
    assertThat(
            es.withAuthorization(basic)
                .post("/_bulk", "application/x-ndjson", "{\"index\":{}}\n" + RECORD + "\n")
                .status())
        .isEqualTo(200);
    assertThat(
            es.withAuthorization(esApiKey)
                .post("/_bulk", "application/x-ndjson", "{\"index\":{}}\n" + RECORD + "\n")
                .status())
        .isEqualTo(200);
  }

  @Test
  void traceSessionAndUserViews_needTheReadRole() {
    for (String path :
        java.util.List.of(
            "/api/v1/traces",
            "/api/v1/traces/4bf92f3577b34da6a3ce929d0e0e4736",
            "/api/v1/traces/4bf92f3577b34da6a3ce929d0e0e4736/steps/00f067aa0ba902b7",
            "/api/v1/sessions",
            "/api/v1/sessions/s1",
            "/api/v1/users",
            "/api/v1/users/u1")) {
      assertThat(api.get(path).status()).as(path).isEqualTo(401);
      assertThat(api.withAuthorization("ApiKey " + INGEST_KEY).get(path).status())
          .as(path)
          .isEqualTo(403);
      assertThat(api.withAuthorization("ApiKey " + READ_KEY).get(path).status())
          .as(path)
          .isIn(200, 404);
    }
  }

  @Test
  void everything_withAdminKey_isAllowed() {
    Http admin = api.withAuthorization("ApiKey " + ADMIN_KEY);

    assertThat(admin.postJson("/api/v1/logs", RECORD).status()).isEqualTo(200);
    assertThat(admin.get("/api/v1/logs").status()).isEqualTo(200);
    assertThat(admin.get("/metrics").status()).isEqualTo(200);
  }

  @Test
  void health_withoutKey_isOpenForLoadBalancers() {
    assertThat(api.get("/health").status()).isEqualTo(200);
  }
}
