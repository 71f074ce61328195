package io.llmlog.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmlog.client.LlmLogContext;
import io.llmlog.client.LlmLogger;
import io.llmlog.client.ReporterMetrics;
import io.llmlog.core.testing.FakeOpenAi;
import io.llmlog.core.testing.LlmlogProcess;
import io.llmlog.core.testing.LlmlogSearch;
import io.llmlog.langchain4j.LlmlogChatModelListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A Spring Boot application with Spring AI's OpenAI starter and llmlog's starter — one dependency,
 * two properties — against a local OpenAI-compatible server and a real llmlog with its embedded
 * engine. The same sources run on Boot 3.5 with Spring AI 1.1 here and on Boot 4.0 with Spring AI
 * 2.0 in llmlog-spring-boot4-it.
 */
class LlmlogSpringBootIT {
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;

  static FakeOpenAi openAi;
  static LlmlogProcess llmlog;

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @BeforeAll
  static void start() throws Exception {
    openAi = FakeOpenAi.start();
    // Searchable within a second, so each check waits less.
    llmlog = LlmlogProcess.start(dir, Map.of("LLMLOG_ENGINE_REFRESH_INTERVAL", "1s"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (llmlog != null) {
      llmlog.close();
    }
    if (openAi != null) {
      openAi.close();
    }
  }

  static ConfigurableApplicationContext app(String... properties) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "spring.ai.openai.api-key=sk-test",
                "spring.ai.openai.base-url=" + openAi.baseUrl(),
                "spring.ai.openai.chat.options.model=gpt-4o-mini",
                "spring.ai.openai.chat.options.stream-usage=true",
                "spring.ai.openai.embedding.options.model=text-embedding-3-small",
                "management.tracing.sampling.probability=1.0",
                // llmlog's two properties:
                "llmlog.endpoint=" + llmlog.api(),
                "llmlog.service=spring-it"));
    all.addAll(List.of(properties));
    return new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        .properties(all.toArray(String[]::new))
        .run();
  }

  static Map<String, Object> loggedCall(ConfigurableApplicationContext context, String session)
      throws Exception {
    assertThat(context.getBean(LlmLogger.class).flush(WAIT)).isTrue();
    return LlmlogSearch.awaitCalls(llmlog.api(), "session_id:\"" + session + "\"", 1, WAIT).get(0);
  }

  @Test
  void
      chatModel_blockingStreamingFailingAndEmbedding_areLoggedWithMessagesTokensAndTimeToFirstToken()
          throws Exception {
    try (ConfigurableApplicationContext context = app()) {
      ChatModel chat = context.getBean(ChatModel.class);
      assertThat(context.getBean(org.springframework.ai.openai.OpenAiChatModel.class))
          .isSameAs(chat); // still injectable by its class
      ChatClient client = context.getBean(ChatClient.Builder.class).build();

      ChatResponse blocking;
      try (var ctx = LlmLogContext.session("boot-blocking").user("u-7")) {
        List<Message> conversation =
            List.of(
                new SystemMessage("You are a weather assistant."),
                new UserMessage("What is the weather in Paris?"),
                AssistantMessage.builder()
                    .content("")
                    .toolCalls(
                        List.of(
                            new AssistantMessage.ToolCall(
                                "call_1", "function", "weather", "{\"city\":\"Paris\"}")))
                    .build(),
                ToolResponseMessage.builder()
                    .responses(
                        List.of(
                            new ToolResponseMessage.ToolResponse(
                                "call_1", "weather", "rainy, 14°C")))
                    .build(),
                new UserMessage("Should I take an umbrella?"));
        blocking = chat.call(new Prompt(conversation));
      }
      List<ChatResponse> chunks;
      try (var ctx = LlmLogContext.session("boot-stream")) {
        chunks =
            client.prompt("Tell me about streams").stream()
                .chatResponse()
                .collectList()
                .block(WAIT);
      }
      try (var ctx = LlmLogContext.session("boot-error")) {
        assertThatThrownBy(() -> chat.call(new Prompt(FakeOpenAi.FAIL)))
            .hasMessageContaining(FakeOpenAi.ERROR_MESSAGE);
      }
      try (var ctx = LlmLogContext.session("boot-embed")) {
        context.getBean(EmbeddingModel.class).embed("first text here");
      }
      assertThat(blocking.getResult().getOutput().getText())
          .isEqualTo("Echo: Should I take an umbrella?");
      assertThat(chunks).isNotEmpty();

      Map<String, Object> call = loggedCall(context, "boot-blocking");
      assertThat(call)
          .containsEntry("service", "spring-it")
          .containsEntry("user_id", "u-7")
          .containsEntry("model", "gpt-4o-mini")
          .containsEntry("provider", "openai")
          .containsEntry("operation", "chat")
          .containsEntry("level", "info")
          .containsEntry("stop_reason", "stop")
          .containsEntry("system_prompt", "You are a weather assistant.")
          .containsEntry("response", "Echo: Should I take an umbrella?")
          .containsEntry("input_tokens", (long) blocking.getMetadata().getUsage().getPromptTokens())
          .containsEntry(
              "output_tokens", (long) blocking.getMetadata().getUsage().getCompletionTokens());
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> input = (List<Map<String, Object>>) call.get("input_messages");
      assertThat(input)
          .extracting(message -> message.get("role"))
          .containsExactly("system", "user", "assistant", "tool", "user");
      assertThat(input.get(2).get("parts").toString())
          .contains("tool_call")
          .contains("weather")
          .contains("Paris");
      assertThat(input.get(3).get("parts"))
          .isEqualTo(
              List.of(
                  Map.of("type", "tool_call_response", "id", "call_1", "response", "rainy, 14°C")));
      // Boot's tracing made a span for the call's observation: the record is that span.
      assertThat((String) call.get("trace_id")).matches("[0-9a-f]{16,32}");
      assertThat((String) call.get("span_id")).matches("[0-9a-f]{16}");

      Map<String, Object> stream = loggedCall(context, "boot-stream");
      assertThat(stream)
          .containsEntry("response", "Echo: Tell me about streams")
          .containsEntry("prompt", "Tell me about streams")
          .containsEntry("level", "info")
          .containsKey("input_tokens")
          .containsKey("output_tokens");
      double ttft = ((Number) stream.get("ttft_ms")).doubleValue();
      assertThat(ttft)
          .isGreaterThanOrEqualTo(50)
          .isLessThanOrEqualTo(((Number) stream.get("latency_ms")).doubleValue());

      Map<String, Object> failed = loggedCall(context, "boot-error");
      assertThat(failed).containsEntry("level", "error").containsEntry("prompt", FakeOpenAi.FAIL);
      assertThat(failed.get("error").toString()).contains(FakeOpenAi.ERROR_MESSAGE);

      Map<String, Object> embedding = loggedCall(context, "boot-embed");
      assertThat(embedding)
          .containsEntry("operation", "embeddings")
          .containsEntry("prompt", "first text here")
          .containsKey("input_tokens");

      MeterRegistry meters = context.getBean(MeterRegistry.class);
      assertThat(
              meters
                  .get("llmlog.records.delivered")
                  .tag("destination", "server")
                  .functionCounter()
                  .count())
          .isGreaterThanOrEqualTo(4);
      assertThat(
              meters
                  .get("llmlog.records.dropped")
                  .tag("destination", "server")
                  .tag("reason", "queue_full")
                  .functionCounter()
                  .count())
          .isZero();
      assertThat(context.getBean(LlmlogChatModelListener.class))
          .isNotNull(); // for LangChain4j's starters to attach
    }
  }

  @Test
  void observationRegistry_noneFromBoot_theStarterProvidesOneAndCallsAreLogged() throws Exception {
    try (ConfigurableApplicationContext context =
        app(
            "spring.autoconfigure.exclude="
                + "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration,"
                + "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")) {
      try (var ctx = LlmLogContext.session("boot-own-registry")) {
        context.getBean(ChatModel.class).call(new Prompt("hello"));
      }

      assertThat(loggedCall(context, "boot-own-registry")).containsEntry("response", "Echo: hello");
    }
  }

  @Test
  void enabledFalse_nothingIsLoggedAndCallsWork() {
    try (ConfigurableApplicationContext context = app("llmlog.enabled=false")) {
      assertThat(context.getBeansOfType(LlmLogger.class)).isEmpty();
      assertThat(
              context
                  .getBean(ChatModel.class)
                  .call(new Prompt("hi"))
                  .getResult()
                  .getOutput()
                  .getText())
          .isEqualTo("Echo: hi");
    }
  }

  @Test
  void llmlogDown_everyCallSucceedsAndTheDropsAreCounted() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort(); // closed again: nothing listens there
    }
    LlmLogger logger;
    try (ConfigurableApplicationContext context =
        app("llmlog.endpoint=http://127.0.0.1:" + deadPort, "llmlog.close-timeout=2s")) {
      ChatModel chat = context.getBean(ChatModel.class);
      for (int i = 0; i < 10; i++) {
        assertThat(chat.call(new Prompt("question " + i)).getResult().getOutput().getText())
            .isEqualTo("Echo: question " + i);
      }
      assertThat(chat.stream(new Prompt("stream")).collectList().block(WAIT)).isNotEmpty();
      logger = context.getBean(LlmLogger.class);
    }

    ReporterMetrics metrics = logger.shippingMetrics();
    assertThat(metrics.logged()).isEqualTo(11);
    assertThat(metrics.delivered()).isZero();
    assertThat(metrics.dropped() + metrics.unknown()).isEqualTo(11);
    assertThat(logger.integrationFailures()).isZero();
  }
}
