package io.llmlog.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.core.testing.FakeUpstream;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.LogCapture;
import io.llmlog.server.ServerProcesses;
import io.llmlog.server.TestServers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The logging gateway through real HTTP: a real llmlog on the shared engine, a fake upstream on
 * loopback, and the JDK's HTTP client as the application. What the application gets, what the
 * upstream gets, and the record, for every kind of call and failure. The official SDKs are
 * exercised in llmlog-gateway-tests.
 */
@ExtendWith(SharedEngineExtension.class)
class GatewayIT {
  static final String KEY = "sk-test-" + UUID.randomUUID();
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  static FakeUpstream upstream;
  static LlmlogServer server;
  static LogCapture log;
  static URI base;
  static Http api;

  @BeforeAll
  static void start(TestEngine engine) throws Exception {
    log = LogCapture.start();
    upstream = FakeUpstream.start();
    Map<String, Object> upstreams = new LinkedHashMap<>();
    upstreams.put("fake", Map.of("url", upstream.uri().toString()));
    upstreams.put("claude", Map.of("url", upstream.uri().toString(), "family", "anthropic"));
    upstreams.put("down", Map.of("url", "http://127.0.0.1:" + ServerProcesses.freePort()));
    server =
        TestServers.onSharedEngine(
            engine, Map.of("gateway", Map.of("upstreams", upstreams, "max_request_bytes", "64KB")));
    base = TestServers.api(server);
    api = new Http(base);
  }

  @AfterAll
  static void stop() {
    try {
      if (server != null) {
        server.close();
      }
      if (upstream != null) {
        upstream.close();
      }
      // Every call of the class is in the log's window: the key of none of them may be there.
      assertThat(log.text()).isNotEmpty().doesNotContain(KEY);
    } finally {
      log.close();
    }
  }

  @Test
  void chat_notStreamed_isForwardedAsSentAndLoggedWithHeadersTokensAndTrace() throws Exception {
    String session = "session-" + UUID.randomUUID();
    String body =
        "{\"model\":\"gpt-4o-mini\",\"temperature\":0.2,\"max_tokens\":300,\"user\":\"body-user\",\"messages\":["
            + "{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"How do I log LLM calls?\"}]}";
    HttpResponse<String> answer =
        send(
            post("/gateway/fake/v1/chat/completions", body)
                .header("X-Llmlog-User-Id", "user-7")
                .header("X-Llmlog-Session-Id", session)
                .header("X-Llmlog-Tags", "beta, docs")
                .header("X-Llmlog-Metadata-Team", "search")
                .header("Helicone-Property-App", "helpdesk")
                .header("OpenAI-Organization", "org-test")
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(
            Http.JSON
                .readTree(answer.body())
                .path("choices")
                .get(0)
                .path("message")
                .path("content")
                .asText())
        .isEqualTo(FakeUpstream.ANSWER);
    String requestId = answer.headers().firstValue("X-Llmlog-Request-Id").orElseThrow();
    FakeUpstream.Received received = upstream.last();
    assertThat(received.path()).isEqualTo("/v1/chat/completions");
    assertThat(received.body()).isEqualTo(body);
    assertThat(received.header("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(received.header("OpenAI-Organization")).isEqualTo("org-test");
    // The answer is read for the record and relayed as it came: nothing asks the upstream to
    // compress it.
    assertThat(received.header("Accept-Encoding")).isNull();
    assertThat(received.headers().keySet())
        .noneMatch(
            name ->
                name.toLowerCase().startsWith("x-llmlog")
                    || name.toLowerCase().startsWith("helicone"));
    assertThat(received.header("traceparent"))
        .startsWith("00-0af7651916cd43dd8448eb211c80319c-")
        .doesNotContain("b7ad6b7169203331");

    JsonNode call = awaitCall(requestId);
    assertThat(call.path("operation").asText()).isEqualTo("chat");
    assertThat(call.path("provider").asText()).isEqualTo("fake");
    assertThat(call.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(call.path("user_id").asText()).isEqualTo("user-7");
    assertThat(call.path("session_id").asText()).isEqualTo(session);
    assertThat(call.path("tags")).extracting(JsonNode::asText).containsExactly("beta", "docs");
    assertThat(call.path("metadata").path("team").asText()).isEqualTo("search");
    assertThat(call.path("metadata").path("app").asText()).isEqualTo("helpdesk");
    assertThat(call.path("metadata").path("upstream_status").asText()).isEqualTo("200");
    assertThat(call.path("trace_id").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(call.path("parent_id").asText()).isEqualTo("b7ad6b7169203331");
    assertThat(call.path("span_id").asText())
        .matches("[0-9a-f]{16}")
        .isEqualTo(received.header("traceparent").substring(36, 52));
    assertThat(call.path("system_prompt").asText()).isEqualTo("You are terse.");
    assertThat(call.path("prompt").asText()).isEqualTo("How do I log LLM calls?");
    assertThat(call.path("response").asText()).isEqualTo(FakeUpstream.ANSWER);
    assertThat(call.path("input_messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(call.path("output_messages").get(0).path("finish_reason").asText())
        .isEqualTo("stop");
    assertThat(call.path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(call.path("max_tokens").asInt()).isEqualTo(300);
    assertThat(call.path("input_tokens").asInt()).isEqualTo(FakeUpstream.PROMPT_TOKENS);
    assertThat(call.path("output_tokens").asInt()).isEqualTo(FakeUpstream.COMPLETION_TOKENS);
    assertThat(call.path("cached_input_tokens").asInt()).isEqualTo(FakeUpstream.CACHED_TOKENS);
    assertThat(call.path("reasoning_tokens").asInt()).isEqualTo(FakeUpstream.REASONING_TOKENS);
    assertThat(call.has("usage_estimated")).isFalse();
    assertThat(call.path("cost_usd").asDouble()).isPositive();
    assertThat(call.path("latency_ms").asDouble()).isPositive();
    assertThat(call.path("stop_reason").asText()).isEqualTo("stop");
    assertThat(call.path("level").asText()).isEqualTo("info");
    assertThat(call.toString()).doesNotContain(KEY);
  }

  @Test
  void chat_streamed_reachesTheClientBeforeTheUpstreamFinishesAndIsLoggedWithUsageAskedFor()
      throws Exception {
    String body =
        "{\"model\":\"gated\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Stream, please\"}]}";
    HttpResponse<InputStream> answer =
        CLIENT.send(
            post("/gateway/fake/v1/chat/completions", body).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
      // The upstream holds the rest of its stream until released: the first piece can only be here
      // if the gateway passed it on without waiting for the end.
      String line;
      while ((line = reader.readLine()) != null
          && !line.contains("\"content\":\"" + FakeUpstream.PIECES.get(0) + "\"")) {
        lines.add(line);
      }
      assertThat(line).as("the first piece, while the upstream still holds the rest").isNotNull();
      upstream.release();
      while ((line = reader.readLine()) != null) {
        lines.add(line);
      }
    }
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(lines).contains("data: [DONE]");
    // The usage llmlog asked for reaches the client too, as the last chunk before [DONE]: OpenAI's
    // SDKs read it.
    assertThat(lines).anyMatch(l -> l.contains("\"choices\":[]") && l.contains("\"usage\":{"));
    assertThat(upstream.last().body()).contains("\"stream_options\":{\"include_usage\":true}");

    JsonNode call = awaitCall(answer.headers().firstValue("X-Llmlog-Request-Id").orElseThrow());
    assertThat(call.path("response").asText()).isEqualTo(FakeUpstream.ANSWER);
    assertThat(call.path("input_tokens").asInt()).isEqualTo(FakeUpstream.PROMPT_TOKENS);
    assertThat(call.path("output_tokens").asInt()).isEqualTo(FakeUpstream.COMPLETION_TOKENS);
    assertThat(call.has("usage_estimated")).isFalse();
    assertThat(call.path("ttft_ms").asDouble())
        .isPositive()
        .isLessThan(call.path("latency_ms").asDouble());
    assertThat(call.path("metadata").path("stream").asText()).isEqualTo("true");
    assertThat(call.path("stop_reason").asText()).isEqualTo("stop");
  }

  @Test
  void chat_streamedWithUsageTurnedOff_isLeftAsSentAndItsTokensEstimated() throws Exception {
    String body =
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":false},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"请用中文回答：日志是什么？\"}]}";
    HttpResponse<String> answer = send(post("/gateway/fake/v1/chat/completions", body));

    assertThat(answer.body()).doesNotContain("\"usage\":{");
    assertThat(upstream.last().body()).isEqualTo(body);
    JsonNode call = awaitCall(answer.headers().firstValue("X-Llmlog-Request-Id").orElseThrow());
    assertThat(call.path("usage_estimated").asBoolean()).isTrue();
    assertThat(call.path("input_tokens").asInt())
        .isEqualTo(TokenEstimate.of("请用中文回答：日志是什么？") + TokenEstimate.PER_MESSAGE);
    assertThat(call.path("output_tokens").asInt()).isEqualTo(TokenEstimate.of(FakeUpstream.ANSWER));
  }

  @Test
  void upstreamErrors_reachTheClientUnchangedAndAreLoggedAsErrors() throws Exception {
    HttpResponse<String> limited =
        send(
            post("/gateway/fake/v1/chat/completions", "{\"model\":\"error-429\",\"messages\":[]}"));
    HttpResponse<String> failed =
        send(
            post("/gateway/fake/v1/chat/completions", "{\"model\":\"error-500\",\"messages\":[]}"));

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.body()).isEqualTo(FakeUpstream.RATE_LIMIT_BODY);
    assertThat(limited.headers().firstValue("retry-after")).hasValue("0");
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body()).isEqualTo(FakeUpstream.SERVER_ERROR_BODY);
    JsonNode rateLimited =
        awaitCall(limited.headers().firstValue("X-Llmlog-Request-Id").orElseThrow());
    assertThat(rateLimited.path("level").asText()).isEqualTo("error");
    assertThat(rateLimited.path("error").path("message").asText())
        .isEqualTo("Rate limit reached for requests");
    assertThat(rateLimited.path("metadata").path("upstream_status").asText()).isEqualTo("429");
    assertThat(rateLimited.has("usage_estimated")).isFalse();
    JsonNode serverError =
        awaitCall(failed.headers().firstValue("X-Llmlog-Request-Id").orElseThrow());
    assertThat(serverError.path("error").path("type").asText()).isEqualTo("server_error");
  }

  @Test
  void upstreamEchoingTheKey_reachesTheClientButTheKeyIsInNoRecord() throws Exception {
    HttpResponse<String> answer =
        send(post("/gateway/fake/v1/chat/completions", "{\"model\":\"echo-key\",\"messages\":[]}"));

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.body()).contains(KEY);
    JsonNode call = awaitCall(answer.headers().firstValue("X-Llmlog-Request-Id").orElseThrow());
    assertThat(call.path("error").path("message").asText())
        .isEqualTo("Incorrect API key provided: Bearer [API_KEY]");
    assertThat(call.toString()).doesNotContain(KEY);
  }

  @Test
  void upstreamDown_answers502InOpenAisShapeAndIsLogged() throws Exception {
    HttpResponse<String> answer =
        send(post("/gateway/down/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}"));

    assertThat(answer.statusCode()).isEqualTo(502);
    JsonNode error = Http.JSON.readTree(answer.body()).path("error");
    assertThat(error.path("message").asText())
        .startsWith("llmlog gateway: cannot reach upstream 'down' at http://127.0.0.1:")
        .doesNotContain(KEY);
    assertThat(error.path("type").asText()).isEqualTo("bad_gateway");
    JsonNode call = awaitCall(answer.headers().firstValue("X-Llmlog-Request-Id").orElseThrow());
    assertThat(call.path("error").path("type").asText()).isEqualTo("upstream_unreachable");
    assertThat(call.path("level").asText()).isEqualTo("error");
  }

  @Test
  void streamCancelledByTheClient_isLoggedAsCancelledWithWhatArrived() throws Exception {
    String session = "cancel-" + UUID.randomUUID();
    HttpResponse<InputStream> answer =
        CLIENT.send(
            post(
                    "/gateway/fake/v1/chat/completions",
                    "{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a long story\"}]}")
                .header("X-Llmlog-Session-Id", session)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    String requestId = answer.headers().firstValue("X-Llmlog-Request-Id").orElseThrow();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
      int pieces = 0;
      for (String line; pieces < 5 && (line = reader.readLine()) != null; ) {
        pieces += line.contains("\"content\":\"") && !line.contains("\"content\":\"\"") ? 1 : 0;
      }
    }

    JsonNode call = awaitCall(requestId);
    assertThat(call.path("stop_reason").asText()).isEqualTo("cancelled");
    assertThat(call.path("level").asText()).isEqualTo("warning");
    assertThat(call.path("response").asText())
        .startsWith(String.join("", FakeUpstream.PIECES.subList(0, 5)));
    assertThat(call.path("response").asText().length())
        .isLessThan(
            FakeUpstream.ANSWER.length() * FakeUpstream.SLOW_PIECES / FakeUpstream.PIECES.size());
    assertThat(call.path("usage_estimated").asBoolean()).isTrue();
    assertThat(call.path("session_id").asText()).isEqualTo(session);
  }

  @Test
  void streamBrokenByTheUpstream_breaksTheClientsStreamAndIsLoggedAsUpstreamError()
      throws Exception {
    HttpResponse<InputStream> answer =
        CLIENT.send(
            post(
                    "/gateway/fake/v1/chat/completions",
                    "{\"model\":\"break\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    String requestId = answer.headers().firstValue("X-Llmlog-Request-Id").orElseThrow();
    assertThatThrownBy(
            () -> {
              try (InputStream in = answer.body()) {
                in.readAllBytes();
              }
            })
        .isInstanceOf(IOException.class);

    JsonNode call = awaitCall(requestId);
    assertThat(call.path("stop_reason").asText()).isEqualTo("upstream_error");
    assertThat(call.path("level").asText()).isEqualTo("error");
    assertThat(call.path("error").path("type").asText()).isEqualTo("upstream_error");
    assertThat(call.path("response").asText())
        .isEqualTo(String.join("", FakeUpstream.PIECES.subList(0, 3)));
  }

  @Test
  void
      otherOperations_completionsEmbeddingsResponsesAndAnthropicMessages_areLoggedWithTheirOperation()
          throws Exception {
    HttpResponse<String> completion =
        send(
            post(
                "/gateway/fake/v1/completions",
                "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say hi\"}"));
    HttpResponse<String> embeddings =
        send(
            post(
                "/gateway/fake/v1/embeddings",
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"]}"));
    HttpResponse<String> response =
        send(
            post(
                "/gateway/fake/v1/responses",
                "{\"model\":\"gpt-4.1\",\"instructions\":\"Be brief.\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Hello\"}]}]}"));
    HttpResponse<String> message =
        send(
            post(
                    "/gateway/claude/v1/messages",
                    "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"system\":\"Be kind.\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}")
                .header("x-api-key", KEY)
                .header("anthropic-version", "2023-06-01"));

    JsonNode text = awaitCall(completion.headers().firstValue("X-Llmlog-Request-Id").orElseThrow());
    assertThat(text.path("operation").asText()).isEqualTo("text_completion");
    assertThat(text.path("prompt").asText()).isEqualTo("Say hi");
    assertThat(text.path("response").asText()).isEqualTo(FakeUpstream.ANSWER);
    JsonNode embedding =
        awaitCall(embeddings.headers().firstValue("X-Llmlog-Request-Id").orElseThrow());
    assertThat(embedding.path("operation").asText()).isEqualTo("embeddings");
    assertThat(embedding.path("prompt").asText()).isEqualTo("a\nb");
    assertThat(embedding.path("input_tokens").asInt()).isEqualTo(FakeUpstream.PROMPT_TOKENS);
    JsonNode responses =
        awaitCall(response.headers().firstValue("X-Llmlog-Request-Id").orElseThrow());
    assertThat(responses.path("operation").asText()).isEqualTo("responses");
    assertThat(responses.path("system_prompt").asText()).isEqualTo("Be brief.");
    assertThat(responses.path("prompt").asText()).isEqualTo("Hello");
    assertThat(responses.path("response").asText()).isEqualTo(FakeUpstream.ANSWER);
    assertThat(responses.path("reasoning_tokens").asInt()).isEqualTo(FakeUpstream.REASONING_TOKENS);
    JsonNode anthropic =
        awaitCall(message.headers().firstValue("X-Llmlog-Request-Id").orElseThrow());
    assertThat(anthropic.path("operation").asText()).isEqualTo("chat");
    assertThat(anthropic.path("provider").asText()).isEqualTo("claude");
    assertThat(anthropic.path("system_prompt").asText()).isEqualTo("Be kind.");
    assertThat(anthropic.path("input_tokens").asInt()).isEqualTo(FakeUpstream.PROMPT_TOKENS);
    assertThat(anthropic.path("cached_input_tokens").asInt()).isEqualTo(FakeUpstream.CACHED_TOKENS);
    assertThat(anthropic.path("cache_creation_input_tokens").asInt())
        .isEqualTo(FakeUpstream.CACHE_CREATION_TOKENS);
    assertThat(anthropic.path("stop_reason").asText()).isEqualTo("end_turn");
  }

  @Test
  void requestsTheGatewayRefuses_getAClearAnswerInTheUpstreamsShape() throws Exception {
    HttpResponse<String> unknown = send(post("/gateway/nowhere/v1/chat/completions", "{}"));
    HttpResponse<String> tooLarge =
        send(
            post(
                "/gateway/fake/v1/chat/completions",
                "{\"model\":\"x\",\"pad\":\"" + "x".repeat(70_000) + "\"}"));
    HttpResponse<String> escape = send(post("/gateway/claude/v1/%2e%2e/admin", "{}"));

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(Http.JSON.readTree(unknown.body()).path("error").path("message").asText())
        .contains("no upstream named 'nowhere'")
        .contains("fake");
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(Http.JSON.readTree(tooLarge.body()).path("error").path("message").asText())
        .contains("gateway.max_request_bytes");
    // Refused before it reaches the gateway (an ambiguous path); the upstream never sees it.
    assertThat(escape.statusCode()).isEqualTo(400);
    assertThat(upstream.received()).noneMatch(request -> request.path().contains("admin"));
  }

  @Test
  void pathsThatAreNotCalls_areForwardedWithoutARecord() throws Exception {
    long queuedBefore = server.gateway().stats().records().get("queued");
    long okBefore = server.gateway().stats().calls().get("fake").get("ok");
    HttpResponse<String> models =
        CLIENT.send(
            HttpRequest.newBuilder(base.resolve("/gateway/fake/v1/models"))
                .header("Authorization", "Bearer " + KEY)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(Http.JSON.readTree(models.body()).path("data").get(0).path("id").asText())
        .isEqualTo("gpt-4o-mini");
    // The call is counted once its answer is out, which the client may see first; a record would be
    // offered before.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (api.get("/api/v1/stats/gateway").json().path("calls").path("fake").path("ok").asLong()
            == okBefore
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    JsonNode stats = api.get("/api/v1/stats/gateway").json();
    assertThat(stats.path("calls").path("fake").path("ok").asLong()).isEqualTo(okBefore + 1);
    assertThat(server.gateway().stats().records().get("queued")).isEqualTo(queuedBefore);
    assertThat(stats.path("upstreams").path("claude").path("family").asText())
        .isEqualTo("anthropic");
    assertThat(api.get("/metrics").body())
        .contains("llmlog_gateway_calls_total{outcome=\"ok\",upstream=\"fake\"}");
  }

  static HttpRequest.Builder post(String path, String body) {
    return HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode awaitCall(String requestId) throws InterruptedException {
    return awaitCall(api, requestId);
  }

  /** The stored call with this id, waiting for the asynchronous write. */
  static JsonNode awaitCall(Http api, String requestId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Http.Answer found = api.get("/api/v1/logs/" + requestId);
      if (found.status() == 200) {
        return found.json().path("document");
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no call " + requestId + " was stored within 30 s");
  }
}
