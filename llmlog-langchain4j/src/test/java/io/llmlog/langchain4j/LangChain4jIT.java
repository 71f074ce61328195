package io.llmlog.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.llmlog.client.LlmLogContext;
import io.llmlog.client.LlmLogger;
import io.llmlog.core.testing.FakeOpenAi;
import io.llmlog.core.testing.LlmlogProcess;
import io.llmlog.core.testing.LlmlogSearch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LangChain4j's OpenAI models, blocking and streaming, against a local OpenAI-compatible server,
 * logged to a real llmlog with its embedded engine.
 */
class LangChain4jIT {
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;

  static FakeOpenAi openAi;
  static LlmlogProcess llmlog;
  static LlmLogger logger;

  @BeforeAll
  static void start() throws Exception {
    openAi = FakeOpenAi.start();
    // Searchable within a second, so each check waits less.
    llmlog = LlmlogProcess.start(dir, Map.of("LLMLOG_ENGINE_REFRESH_INTERVAL", "1s"));
    logger =
        LlmLogger.builder("langchain4j-it")
            .noLines()
            .endpoint(llmlog.api())
            .batchTimeout(Duration.ofMillis(100))
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (logger != null) {
      logger.close();
    }
    if (llmlog != null) {
      llmlog.close();
    }
    if (openAi != null) {
      openAi.close();
    }
  }

  static ChatModel chatModel() {
    return OpenAiChatModel.builder()
        .baseUrl(openAi.v1().toString())
        .apiKey("sk-test")
        .modelName("gpt-4o-mini")
        .temperature(0.3)
        .maxRetries(0)
        .listeners(List.of(new LlmlogChatModelListener(logger)))
        .build();
  }

  static StreamingChatModel streamingModel() {
    return LlmlogStreamingChatModel.timed(
        OpenAiStreamingChatModel.builder()
            .baseUrl(openAi.v1().toString())
            .apiKey("sk-test")
            .modelName("gpt-4o-mini")
            .listeners(List.of(new LlmlogChatModelListener(logger)))
            .build());
  }

  static Map<String, Object> loggedCall(String session) throws Exception {
    assertThat(logger.flush(WAIT)).isTrue();
    return LlmlogSearch.awaitCalls(llmlog.api(), "session_id:\"" + session + "\"", 1, WAIT).get(0);
  }

  @Test
  void chat_conversationWithToolResults_isLoggedWithItsMessagesResponseAndTokens()
      throws Exception {
    ChatResponse response;
    try (var ctx = LlmLogContext.session("lc4j-blocking").user("u-7")) {
      response =
          chatModel()
              .chat(
                  ChatRequest.builder()
                      .messages(
                          SystemMessage.from("You are a weather assistant."),
                          UserMessage.from("What is the weather in Paris?"),
                          AiMessage.from(
                              ToolExecutionRequest.builder()
                                  .id("call_1")
                                  .name("weather")
                                  .arguments("{\"city\":\"Paris\"}")
                                  .build()),
                          ToolExecutionResultMessage.from("call_1", "weather", "rainy, 14°C"),
                          UserMessage.from("Should I take an umbrella?"))
                      .build());
    }
    assertThat(response.aiMessage().text()).isEqualTo("Echo: Should I take an umbrella?");

    Map<String, Object> call = loggedCall("lc4j-blocking");
    assertThat(call)
        .containsEntry("user_id", "u-7")
        .containsEntry("model", "gpt-4o-mini")
        .containsEntry("provider", "openai")
        .containsEntry("operation", "chat")
        .containsEntry("level", "info")
        .containsEntry("stop_reason", "stop")
        .containsEntry("system_prompt", "You are a weather assistant.")
        .containsEntry("response", "Echo: Should I take an umbrella?")
        .containsEntry("temperature", 0.3)
        .containsEntry("cached_input_tokens", 2L)
        .containsEntry("reasoning_tokens", 1L);
    assertThat(call.get("input_tokens")).isEqualTo((long) response.tokenUsage().inputTokenCount());
    assertThat(call.get("output_tokens"))
        .isEqualTo((long) response.tokenUsage().outputTokenCount());
    assertThat(((Number) call.get("latency_ms")).doubleValue()).isPositive();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> input = (List<Map<String, Object>>) call.get("input_messages");
    assertThat(input)
        .extracting(message -> message.get("role"))
        .containsExactly("system", "user", "assistant", "tool", "user");
    assertThat(input.get(2).get("parts"))
        .isEqualTo(
            List.of(
                Map.of(
                    "type",
                    "tool_call",
                    "id",
                    "call_1",
                    "name",
                    "weather",
                    "arguments",
                    "{\"city\":\"Paris\"}")));
    assertThat(input.get(3).get("parts"))
        .isEqualTo(
            List.of(
                Map.of("type", "tool_call_response", "id", "call_1", "response", "rainy, 14°C")));
    assertThat(call.get("output_messages"))
        .isEqualTo(
            List.of(
                Map.of(
                    "role",
                    "assistant",
                    "finish_reason",
                    "stop",
                    "parts",
                    List.of(
                        Map.of("type", "text", "content", "Echo: Should I take an umbrella?")))));
  }

  @Test
  void chat_modelAsksForATool_isLoggedWithTheToolCall() throws Exception {
    try (var ctx = LlmLogContext.session("lc4j-tool")) {
      chatModel()
          .chat(
              ChatRequest.builder()
                  .messages(UserMessage.from("Weather in Paris?"))
                  .toolSpecifications(
                      ToolSpecification.builder()
                          .name("weather")
                          .description("current weather")
                          .build())
                  .build());
    }

    Map<String, Object> call = loggedCall("lc4j-tool");
    assertThat(call).containsEntry("stop_reason", "tool_calls");
    assertThat(call.get("output_messages").toString())
        .contains("tool_call")
        .contains("weather")
        .contains("Paris");
  }

  @Test
  void chat_errorAnswer_isLoggedAtLevelErrorWithItsMessage() throws Exception {
    try (var ctx = LlmLogContext.session("lc4j-error")) {
      assertThatThrownBy(() -> chatModel().chat(FakeOpenAi.FAIL))
          .hasMessageContaining(FakeOpenAi.ERROR_MESSAGE);
    }

    Map<String, Object> call = loggedCall("lc4j-error");
    assertThat(call).containsEntry("level", "error").containsEntry("prompt", FakeOpenAi.FAIL);
    @SuppressWarnings("unchecked")
    Map<String, Object> error = (Map<String, Object>) call.get("error");
    assertThat((String) error.get("message")).contains(FakeOpenAi.ERROR_MESSAGE);
    assertThat((String) error.get("type")).isNotBlank();
  }

  @Test
  void streamingChat_isLoggedWithTimeToFirstToken() throws Exception {
    StreamedAnswer answer = new StreamedAnswer();
    try (var ctx = LlmLogContext.session("lc4j-stream")) {
      streamingModel().chat("Tell me about streams", answer);
    }
    ChatResponse response = answer.await();
    assertThat(answer.partials()).isEqualTo("Echo: Tell me about streams");

    Map<String, Object> call = loggedCall("lc4j-stream");
    assertThat(call)
        .containsEntry("response", "Echo: Tell me about streams")
        .containsEntry("prompt", "Tell me about streams")
        .containsEntry("input_tokens", (long) response.tokenUsage().inputTokenCount())
        .containsEntry("output_tokens", (long) response.tokenUsage().outputTokenCount());
    double ttft = ((Number) call.get("ttft_ms")).doubleValue();
    double latency = ((Number) call.get("latency_ms")).doubleValue();
    // The fake waits 60 ms before the first chunk and 20 ms between the next four.
    assertThat(ttft).isGreaterThanOrEqualTo(50).isLessThan(latency);
  }

  @Test
  void streamingChat_errorAnswer_isLoggedAtLevelError() throws Exception {
    StreamedAnswer answer = new StreamedAnswer();
    try (var ctx = LlmLogContext.session("lc4j-stream-error")) {
      streamingModel().chat(FakeOpenAi.FAIL, answer);
    }
    assertThatThrownBy(answer::await).hasMessageContaining(FakeOpenAi.ERROR_MESSAGE);

    Map<String, Object> call = loggedCall("lc4j-stream-error");
    assertThat(call).containsEntry("level", "error");
    assertThat(call.get("error").toString()).contains(FakeOpenAi.ERROR_MESSAGE);
  }

  @Test
  void embed_isLoggedAsAnEmbeddingsCall() throws Exception {
    EmbeddingModel model =
        OpenAiEmbeddingModel.builder()
            .baseUrl(openAi.v1().toString())
            .apiKey("sk-test")
            .modelName("text-embedding-3-small")
            .maxRetries(0)
            .listeners(List.of(new LlmlogEmbeddingModelListener(logger)))
            .build();

    try (var ctx = LlmLogContext.session("lc4j-embed")) {
      model.embedAll(List.of(TextSegment.from("first text"), TextSegment.from("second one here")));
    }

    Map<String, Object> call = loggedCall("lc4j-embed");
    assertThat(call)
        .containsEntry("operation", "embeddings")
        .containsEntry("model", "text-embedding-3-small")
        .containsEntry("prompt", "first text\nsecond one here")
        .containsEntry("input_tokens", 5L);
  }
}
