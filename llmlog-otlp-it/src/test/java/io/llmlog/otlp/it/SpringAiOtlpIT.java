package io.llmlog.otlp.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.testing.FakeUpstream;
import io.llmlog.core.testing.LlmlogProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application as users write one — Spring AI's OpenAI chat client, Micrometer's
 * OpenTelemetry bridge exporting OTLP, configured by properties only — sends its calls to a real
 * llmlog (its own process, on its OTLP port) while talking to a local OpenAI-compatible server.
 */
class SpringAiOtlpIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  static LlmlogProcess llmlog;
  static FakeUpstream openAi;

  @SpringBootApplication
  static class App {}

  @BeforeAll
  static void start() throws Exception {
    llmlog = LlmlogProcess.start(dir, Map.of());
    openAi = FakeUpstream.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (openAi != null) {
      openAi.close();
    }
    if (llmlog != null) {
      llmlog.close();
    }
  }

  @Test
  void chatClient_cannedAndStreamedAnswers_areInLlmlogWithModelTokensAndLatency() throws Exception {
    assertThat(llmlog.otlp()).as("llmlog's OTLP port").isNotNull();
    String otlp = llmlog.otlp().toString();
    String answer;
    List<String> streamed;
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.application.name=spring-ai-demo",
                "spring.ai.openai.api-key=sk-test-0000000000000000000000000000",
                "spring.ai.openai.base-url=" + openAi.uri() + "/v1",
                "spring.ai.openai.chat.options.model=gpt-4o-mini",
                "spring.ai.openai.chat.options.temperature=0.3",
                // The usage of a stream comes only when asked for, as from OpenAI.
                "spring.ai.openai.chat.options.stream-options.include-usage=true",
                // What a user sets to send traces to llmlog; metrics go there too and are
                // discarded.
                "management.tracing.sampling.probability=1.0",
                "management.opentelemetry.tracing.export.otlp.endpoint=" + otlp + "v1/traces",
                "management.otlp.metrics.export.url=" + otlp + "v1/metrics")
            .run()) {
      ChatClient chat = app.getBean(ChatClient.Builder.class).build();
      answer = chat.prompt().user("What is llmlog?").call().content();
      streamed =
          chat.prompt().user("Say it in two words.").stream()
              .content()
              .collectList()
              .block(Duration.ofSeconds(30));
    }

    assertThat(answer).isEqualTo(FakeUpstream.ANSWER);
    assertThat(String.join("", streamed)).isEqualTo(FakeUpstream.ANSWER);
    List<JsonNode> calls = awaitCalls("service:spring-ai-demo", 2);
    assertThat(calls)
        .hasSize(2)
        .allSatisfy(
            call -> {
              assertThat(call.path("operation").asText()).isEqualTo("chat");
              assertThat(call.path("model").asText()).isEqualTo("gpt-4o-mini");
              assertThat(call.path("provider").asText()).isEqualTo("openai");
              assertThat(call.path("latency_ms").asDouble()).isPositive();
              assertThat(call.path("trace_id").asText()).hasSize(32);
              assertThat(call.path("level").asText()).isEqualTo("info");
            });
    String tokens = FakeUpstream.PROMPT_TOKENS + "/" + FakeUpstream.COMPLETION_TOKENS;
    assertThat(calls)
        .extracting(
            call -> call.path("input_tokens").asInt() + "/" + call.path("output_tokens").asInt())
        .containsExactly(tokens, tokens);
    // The ChatClient's own spans and its advisors' (Spring AI's "framework" observations), which
    // parent the model calls, are steps; each call links to one of them.
    JsonNode steps =
        search(
                llmlog.es().resolve("llm-spans-*/_search"),
                "{\"size\": 50, \"query\": {\"term\": {\"service\": \"spring-ai-demo\"}}}")
            .path("hits")
            .path("hits");
    List<String> stepIds = new ArrayList<>();
    steps.forEach(hit -> stepIds.add(hit.path("_source").path("span_id").asText()));
    assertThat(steps.findValuesAsText("kind")).as(steps.toString()).containsOnly("step");
    assertThat(steps.findValuesAsText("name"))
        .as(steps.toString())
        .filteredOn("spring_ai chat_client"::equals)
        .hasSize(2);
    assertThat(calls)
        .extracting(call -> call.path("parent_id").asText())
        .allSatisfy(parent -> assertThat(stepIds).contains(parent));
  }

  private static JsonNode search(URI uri, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }

  private List<JsonNode> awaitCalls(String kql, int expected) throws Exception {
    URI search =
        llmlog
            .api()
            .resolve(
                "api/v1/search?from=now-1h&size=10&q="
                    + URLEncoder.encode(kql, StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode hits = JSON.createArrayNode();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response =
          HTTP.send(HttpRequest.newBuilder(search).build(), HttpResponse.BodyHandlers.ofString());
      hits = JSON.readTree(response.body()).path("hits");
      if (hits.size() >= expected) {
        break;
      }
      Thread.sleep(250);
    }
    List<JsonNode> documents = new ArrayList<>();
    hits.forEach(hit -> documents.add(hit.has("document") ? hit.path("document") : hit));
    assertThat(documents)
        .as("calls in llmlog, log:\n" + llmlog.log())
        .hasSizeGreaterThanOrEqualTo(expected);
    return documents;
  }
}
