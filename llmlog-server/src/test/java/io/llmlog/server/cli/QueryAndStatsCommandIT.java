package io.llmlog.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code ./llmlog query} and {@code ./llmlog stats}, run in-process against a real server. */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryAndStatsCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String READ_KEY = "read-key-0123456789abcdef";

  private LlmlogServer server;
  private String url;

  /** What a command printed and returned. */
  record Run(int exitCode, String out, String err) {
    List<JsonNode> jsonLines() {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          try {
            lines.add(JSON.readTree(line));
          } catch (IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
          }
        }
      }
      return lines;
    }
  }

  @BeforeAll
  void start(TestEngine engine) {
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put(
        "api_keys",
        List.of(
            Map.of("key", READ_KEY, "role", "read"),
            Map.of("key", "ingest-key-0123456789abcdef", "role", "ingest")));
    server = TestServers.onSharedEngine(engine, Map.of("auth", auth));
    url = TestServers.api(server).toString();
    StringBuilder calls = new StringBuilder();
    Instant now = Instant.now().minusSeconds(30);
    String[] models = {"gpt-4", "gpt-4o-mini", "claude-3-5-sonnet"};
    for (int i = 0; i < 30; i++) {
      calls.append(
          String.format(
              "{\"request_id\":\"cli-%d\",\"timestamp\":\"%s\",\"model\":\"%s\",\"user_id\":\"user_%d\",\"level\":\"%s\",\"latency_ms\":%d,"
                  + "\"ttft_ms\":%d,\"input_tokens\":%d,\"output_tokens\":%d,\"stop_reason\":\"%s\",\"prompt\":\"%s\"}%n",
              i,
              now.minusSeconds(i),
              models[i % 3],
              i % 4,
              i % 10 == 0 ? "error" : "info",
              500 + 100 * i,
              50 + i,
              10 + i,
              100 + i,
              i % 10 == 0 ? "error" : "stop",
              i % 2 == 0 ? "我要退款，谢谢 order " + i : "explain embeddings\\nplease " + i));
    }
    Http.Answer answer =
        new Http(TestServers.api(server))
            .withAuthorization("ApiKey ingest-key-0123456789abcdef")
            .post("/api/v1/logs?refresh=wait_for", "application/x-ndjson", calls.toString());
    assertThat(answer.json().path("accepted").asInt()).as(answer.body()).isEqualTo(30);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine command = LlmlogCommand.commandLine();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    int code = command.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Run withKey(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", url, "--api-key", READ_KEY));
    return run(all.toArray(String[]::new));
  }

  @Test
  void query_json_printsOneValidJsonDocumentPerCall() {
    Run run = withKey("query", "level:error", "--from", "now-1h", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> lines = run.jsonLines();
    assertThat(lines).hasSize(3);
    for (JsonNode line : lines) {
      assertThat(line.path("document").path("level").asText()).isEqualTo("error");
      assertThat(line.path("request_id").asText()).startsWith("cli-");
      assertThat(line.path("quality").isArray()).isTrue();
    }
  }

  @Test
  void query_table_showsTheCallsAlignedAndTheCount() {
    Run run = withKey("query", "model:gpt-4 and 退款", "--from", "now-1h", "--size", "3");

    assertThat(run.exitCode()).as(run.err()).isZero();
    String[] lines = run.out().split("\n");
    assertThat(lines[0])
        .startsWith("TIME (UTC)")
        .contains("MODEL", "USER", "LATENCY", "TOKENS IN/OUT", "LEVEL", "STOP", "PROMPT");
    assertThat(lines[1]).contains("gpt-4", "ms", "我要退款，谢谢");
    // Columns line up in display width even with Chinese text: PROMPT starts at the same column on
    // every line.
    int promptColumn = Table.width(lines[0].substring(0, lines[0].indexOf("PROMPT")));
    for (int i = 1; i <= 3; i++) {
      assertThat(Table.width(lines[i].substring(0, lines[i].indexOf("我要"))))
          .isEqualTo(promptColumn);
    }
    assertThat(run.out()).contains("3 of 5 calls", "next page: --search-after ");
  }

  @Test
  void stats_json_isOneValidDocumentWithTheGroups() throws IOException {
    Run run = withKey("stats", "--by", "model", "--from", "now-1h", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode stats = JSON.readTree(run.out());
    assertThat(stats.path("totals").path("calls").asInt()).isEqualTo(30);
    assertThat(stats.path("totals").path("errors").asInt()).isEqualTo(3);
    List<String> keys = new ArrayList<>();
    stats.path("groups").forEach(g -> keys.add(g.path("key").asText()));
    assertThat(keys).containsExactlyInAnyOrder("gpt-4", "gpt-4o-mini", "claude-3-5-sonnet");
  }

  @Test
  void stats_table_showsEachGroupAndTheTotals() {
    Run run = withKey("stats", "--by", "model", "--from", "now-1h");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "MODEL",
            "CALLS",
            "ERROR RATE",
            "P95 ms",
            "TTFT P95",
            "COST $",
            "gpt-4o-mini",
            "(all)",
            "10.00%");
  }

  @Test
  void query_badKql_saysWhereAndExitsNonZero() {
    Run run = withKey("query", "model:gpt-4 and latency_ms >", "--from", "now-1h");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("KQL syntax error at position 28: expected a value after '>'", "^");
  }

  @Test
  void query_badTime_namesTheParameter() {
    Run run = withKey("stats", "--from", "yesterday");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("llmlog: from: expected an ISO-8601 time");
  }

  @Test
  void query_withoutApiKey_saysHowToPassOne() {
    Run run = run("query", "--server", url);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("wants an API key: pass --api-key or set LLMLOG_API_KEY");
  }

  @Test
  void query_serverDown_saysToStartIt() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    Run run = run("query", "level:error", "--server", "http://127.0.0.1:" + port);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith(
            "llmlog: cannot reach llmlog at http://127.0.0.1:"
                + port
                + ": is `./llmlog serve` running?");
  }
}
