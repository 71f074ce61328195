package io.llmlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.llmlog.core.testing.FakeUpstream;
import io.llmlog.core.testing.LlmlogProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI and Anthropic Java SDKs, pointed at llmlog's gateway with nothing changed but
 * their base URL, against a fake upstream: what the SDK returns equals what the upstream sent,
 * errors arrive as the SDK's own exceptions with the upstream's bodies, and every call is in llmlog
 * with its fields. llmlog runs as a child process, so the SDKs' Kotlin and OkHttp stay on this
 * module's class path and the server's stay on its own. No log line, record or error message holds
 * the test's upstream key.
 */
class SdkGatewayIT {
  static final String KEY = "sk-proj-" + UUID.randomUUID().toString().replace("-", "");
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static FakeUpstream upstream;
  static LlmlogProcess llmlog;
  static Path dir;
  static OpenAIClient openai;
  static AnthropicClient anthropic;
  static final List<String> RECORDS = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    upstream = FakeUpstream.start();
    dir = Files.createTempDirectory("llmlog-gateway-sdk");
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    // The default upstream names, pointed at the fake: the SDKs keep the paths they always use.
    llmlog =
        LlmlogProcess.start(
            dir,
            Map.of(
                "LLMLOG_GATEWAY_UPSTREAMS",
                "openai="
                    + upstream.uri()
                    + ",anthropic="
                    + upstream.uri()
                    + ",down=http://127.0.0.1:"
                    + closed,
                "LLMLOG_ENGINE_REFRESH_INTERVAL",
                "1s"));
    openai =
        OpenAIOkHttpClient.builder()
            .baseUrl(llmlog.api() + "gateway/openai/v1")
            .apiKey(KEY)
            .maxRetries(0)
            .putHeader("X-Llmlog-User-Id", "sdk-user")
            .build();
    anthropic =
        AnthropicOkHttpClient.builder()
            .baseUrl(llmlog.api() + "gateway/anthropic")
            .apiKey(KEY)
            .maxRetries(0)
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      for (String record : RECORDS) {
        assertThat(record).doesNotContain(KEY);
      }
      if (llmlog != null) {
        assertThat(llmlog.log()).doesNotContain(KEY);
      }
    } finally {
      if (openai != null) {
        openai.close();
      }
      if (anthropic != null) {
        anthropic.close();
      }
      if (llmlog != null) {
        llmlog.close();
      }
      if (upstream != null) {
        upstream.close();
      }
    }
  }

  static ChatCompletionCreateParams chat(String model) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addSystemMessage("You are terse.")
        .addUserMessage("How do I log my LLM calls?")
        .temperature(0.3)
        .build();
  }

  @Test
  void openAiChat_notStreamed_returnsTheUpstreamsAnswerAndIsLogged() throws Exception {
    HttpResponseFor<ChatCompletion> response =
        openai.chat().completions().withRawResponse().create(chat("gpt-4o-mini"));
    ChatCompletion completion = response.parse();

    assertThat(completion.choices().get(0).message().content()).hasValue(FakeUpstream.ANSWER);
    assertThat(completion.usage().orElseThrow().promptTokens())
        .isEqualTo(FakeUpstream.PROMPT_TOKENS);
    JsonNode call = awaitCall(response.headers().values("X-Llmlog-Request-Id").get(0));
    assertThat(call.path("operation").asText()).isEqualTo("chat");
    assertThat(call.path("provider").asText()).isEqualTo("openai");
    assertThat(call.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(call.path("user_id").asText()).isEqualTo("sdk-user");
    assertThat(call.path("system_prompt").asText()).isEqualTo("You are terse.");
    assertThat(call.path("prompt").asText()).isEqualTo("How do I log my LLM calls?");
    assertThat(call.path("response").asText()).isEqualTo(FakeUpstream.ANSWER);
    assertThat(call.path("temperature").asDouble()).isEqualTo(0.3);
    assertThat(call.path("input_tokens").asInt()).isEqualTo(FakeUpstream.PROMPT_TOKENS);
    assertThat(call.path("output_tokens").asInt()).isEqualTo(FakeUpstream.COMPLETION_TOKENS);
    assertThat(call.path("cached_input_tokens").asInt()).isEqualTo(FakeUpstream.CACHED_TOKENS);
    assertThat(call.path("reasoning_tokens").asInt()).isEqualTo(FakeUpstream.REASONING_TOKENS);
    assertThat(call.path("stop_reason").asText()).isEqualTo("stop");
    assertThat(call.path("latency_ms").asDouble()).isPositive();
    assertThat(call.path("level").asText()).isEqualTo("info");
    assertThat(call.path("metadata").path("upstream_status").asText()).isEqualTo("200");
  }

  @Test
  void openAiChat_streamed_accumulatesToTheUpstreamsTextWithUsageAndIsLogged() throws Exception {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    HttpResponseFor<StreamResponse<ChatCompletionChunk>> response =
        openai.chat().completions().withRawResponse().createStreaming(chat("gpt-4o"));
    try (StreamResponse<ChatCompletionChunk> stream = response.parse()) {
      stream.stream().forEach(accumulator::accumulate);
    }
    ChatCompletion completion = accumulator.chatCompletion();

    assertThat(completion.choices().get(0).message().content()).hasValue(FakeUpstream.ANSWER);
    // The SDK parsed the usage chunk llmlog asked for on the client's behalf.
    assertThat(completion.usage().orElseThrow().completionTokens())
        .isEqualTo(FakeUpstream.COMPLETION_TOKENS);
    JsonNode call = awaitCall(response.headers().values("X-Llmlog-Request-Id").get(0));
    assertThat(call.path("response").asText()).isEqualTo(FakeUpstream.ANSWER);
    assertThat(call.path("output_tokens").asInt()).isEqualTo(FakeUpstream.COMPLETION_TOKENS);
    assertThat(call.has("usage_estimated")).isFalse();
    assertThat(call.path("ttft_ms").asDouble()).isPositive();
    assertThat(call.path("metadata").path("stream").asText()).isEqualTo("true");
  }

  @Test
  void openAiEmbeddings_returnTheVectorsAndAreLogged() throws Exception {
    HttpResponseFor<CreateEmbeddingResponse> response =
        openai
            .embeddings()
            .withRawResponse()
            .create(
                EmbeddingCreateParams.builder()
                    .model("text-embedding-3-small")
                    .input("日志记录很简单")
                    .build());

    assertThat(response.parse().data().get(0).embedding())
        .hasSize(FakeUpstream.EMBEDDING_DIMENSIONS);
    JsonNode call = awaitCall(response.headers().values("X-Llmlog-Request-Id").get(0));
    assertThat(call.path("operation").asText()).isEqualTo("embeddings");
    assertThat(call.path("prompt").asText()).isEqualTo("日志记录很简单");
    assertThat(call.path("input_tokens").asInt()).isEqualTo(FakeUpstream.PROMPT_TOKENS);
  }

  @Test
  void openAiErrors_429And500_arriveAsTheSdksExceptionsWithTheUpstreamsBodies() throws Exception {
    assertThatThrownBy(() -> openai.chat().completions().create(chat("error-429")))
        .isInstanceOfSatisfying(
            RateLimitException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(429);
              assertThat(body(e)).isEqualTo(tree(FakeUpstream.RATE_LIMIT_BODY).path("error"));
              awaitError(e, "Rate limit reached for requests");
            });
    assertThatThrownBy(() -> openai.chat().completions().create(chat("error-500")))
        .isInstanceOfSatisfying(
            InternalServerException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(500);
              assertThat(body(e)).isEqualTo(tree(FakeUpstream.SERVER_ERROR_BODY).path("error"));
              awaitError(e, "The server had an error while processing your request.");
            });
  }

  @Test
  void openAi_upstreamDown_gets502WithAClearMessage() throws Exception {
    OpenAIClient down =
        OpenAIOkHttpClient.builder()
            .baseUrl(llmlog.api() + "gateway/down/v1")
            .apiKey(KEY)
            .maxRetries(0)
            .build();
    try {
      assertThatThrownBy(() -> down.chat().completions().create(chat("gpt-4o")))
          .isInstanceOfSatisfying(
              OpenAIServiceException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(502);
                assertThat(e.getMessage())
                    .contains("llmlog gateway: cannot reach upstream 'down'")
                    .doesNotContain(KEY);
                JsonNode call =
                    awaitCallUnchecked(e.headers().values("X-Llmlog-Request-Id").get(0));
                assertThat(call.path("error").path("type").asText())
                    .isEqualTo("upstream_unreachable");
              });
    } finally {
      down.close();
    }
  }

  @Test
  void openAiStream_cancelledByTheClient_isLoggedAsCancelledWithThePartialResponse()
      throws Exception {
    HttpResponseFor<StreamResponse<ChatCompletionChunk>> response =
        openai.chat().completions().withRawResponse().createStreaming(chat("slow"));
    StringBuilder received = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = response.parse()) {
      Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
      for (int pieces = 0; pieces < 6 && chunks.hasNext(); ) {
        String text = chunks.next().choices().get(0).delta().content().orElse("");
        received.append(text);
        pieces += text.isEmpty() ? 0 : 1;
      }
    }

    JsonNode call = awaitCall(response.headers().values("X-Llmlog-Request-Id").get(0));
    assertThat(call.path("stop_reason").asText()).isEqualTo("cancelled");
    assertThat(call.path("response").asText()).startsWith(received.toString());
    assertThat(call.path("usage_estimated").asBoolean()).isTrue();
  }

  static MessageCreateParams message(String model) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(256)
        .system("You are kind.")
        .addUserMessage("你好，请介绍日志系统。")
        .build();
  }

  @Test
  void anthropicMessages_notStreamed_returnTheUpstreamsAnswerAndAreLogged() throws Exception {
    com.anthropic.core.http.HttpResponseFor<Message> response =
        anthropic.messages().withRawResponse().create(message("claude-sonnet-4-5"));

    assertThat(response.parse().content().get(0).text().orElseThrow().text())
        .isEqualTo(FakeUpstream.ANSWER);
    JsonNode call = awaitCall(response.headers().values("X-Llmlog-Request-Id").get(0));
    assertThat(call.path("provider").asText()).isEqualTo("anthropic");
    assertThat(call.path("operation").asText()).isEqualTo("chat");
    assertThat(call.path("system_prompt").asText()).isEqualTo("You are kind.");
    assertThat(call.path("input_messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(call.path("prompt").asText()).isEqualTo("你好，请介绍日志系统。");
    assertThat(call.path("max_tokens").asInt()).isEqualTo(256);
    assertThat(call.path("input_tokens").asInt()).isEqualTo(FakeUpstream.PROMPT_TOKENS);
    assertThat(call.path("cached_input_tokens").asInt()).isEqualTo(FakeUpstream.CACHED_TOKENS);
    assertThat(call.path("cache_creation_input_tokens").asInt())
        .isEqualTo(FakeUpstream.CACHE_CREATION_TOKENS);
    assertThat(call.path("output_tokens").asInt()).isEqualTo(FakeUpstream.COMPLETION_TOKENS);
    assertThat(call.path("stop_reason").asText()).isEqualTo("end_turn");
    FakeUpstream.Received received = upstream.last();
    assertThat(
            received.header("x-api-key") != null
                ? received.header("x-api-key")
                : received.header("Authorization"))
        .endsWith(KEY);
    // The SDK asks for gzip; the gateway does not pass that on (it reads the answer), and relays it
    // uncompressed.
    assertThat(received.header("Accept-Encoding")).isNull();
  }

  @Test
  void anthropicMessages_streamed_accumulateToTheUpstreamsTextAndAreLogged() throws Exception {
    MessageAccumulator accumulator = MessageAccumulator.create();
    com.anthropic.core.http.HttpResponseFor<
            com.anthropic.core.http.StreamResponse<RawMessageStreamEvent>>
        response =
            anthropic.messages().withRawResponse().createStreaming(message("claude-haiku-4-5"));
    try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream = response.parse()) {
      stream.stream().forEach(accumulator::accumulate);
    }

    assertThat(accumulator.message().content().get(0).text().orElseThrow().text())
        .isEqualTo(FakeUpstream.ANSWER);
    JsonNode call = awaitCall(response.headers().values("X-Llmlog-Request-Id").get(0));
    assertThat(call.path("response").asText()).isEqualTo(FakeUpstream.ANSWER);
    assertThat(call.path("input_tokens").asInt()).isEqualTo(FakeUpstream.PROMPT_TOKENS);
    assertThat(call.path("output_tokens").asInt()).isEqualTo(FakeUpstream.COMPLETION_TOKENS);
    assertThat(call.path("ttft_ms").asDouble()).isPositive();
    assertThat(call.path("stop_reason").asText()).isEqualTo("end_turn");
  }

  /** The error body as the SDK kept it, as a JSON tree. */
  private static JsonNode body(OpenAIServiceException e) {
    return JSON.valueToTree(e.body().convert(Object.class));
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void awaitError(OpenAIServiceException e, String message) {
    JsonNode call = awaitCallUnchecked(e.headers().values("X-Llmlog-Request-Id").get(0));
    assertThat(call.path("level").asText()).isEqualTo("error");
    assertThat(call.path("error").path("message").asText()).isEqualTo(message);
  }

  private static JsonNode awaitCallUnchecked(String requestId) {
    try {
      return awaitCall(requestId);
    } catch (Exception failure) {
      throw new AssertionError(failure);
    }
  }

  /** The stored call with this id, from llmlog's API, waiting for its asynchronous write. */
  static JsonNode awaitCall(String requestId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> found =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(llmlog.api() + "api/v1/logs/" + requestId)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (found.statusCode() == 200) {
        synchronized (RECORDS) {
          RECORDS.add(found.body());
        }
        return JSON.readTree(found.body()).path("document");
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no call " + requestId + " in llmlog within 30 s");
  }
}
