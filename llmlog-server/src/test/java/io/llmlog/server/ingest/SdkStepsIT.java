package io.llmlog.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.client.LlmLogger;
import io.llmlog.client.StepKind;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import io.llmlog.server.TraceHits;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An agent run logged with the SDK's steps, against a real server: the steps land in {@code
 * llm-spans-*} through {@code POST /api/v1/spans}, the calls in {@code llm-logs-*}, and their trace
 * ids and parent links form the run's tree.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkStepsIT {
  private LlmlogServer server;
  private Http es;

  @BeforeAll
  void start(TestEngine engine) {
    server = TestServers.onSharedEngine(engine, Map.of());
    es = new Http(TestServers.es(server));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /**
   * The agent run of docs/java.md's "Steps and traces": an agent, a retrieval in it, two calls, one
   * of them in an executor task.
   */
  static AgentRun agentRun(LlmLogger logger) throws Exception {
    ExecutorService executor =
        io.llmlog.client.LlmLogContext.wrap(Executors.newSingleThreadExecutor());
    try (var agent =
        logger
            .step("invoke_agent planner", StepKind.AGENT)
            .agentName("planner")
            .input("What is the refund policy?")) {
      String retrievalId;
      try (var retrieval =
          logger
              .step("search-docs", StepKind.RETRIEVAL)
              .retrievalQuery("refund policy for li.lei@example.com")) {
        retrieval.retrievalDocumentIds(List.of("doc_1", "doc_2"));
        retrievalId = retrieval.spanId();
      }
      logger
          .startCall("gpt-4o", "Summarise the refund policy")
          .requestId("sdk-steps-summary")
          .end("Refunds within 30 days.", 42, 7, "stop");
      executor
          .submit(
              () ->
                  logger
                      .startCall("gpt-4o-mini", "Translate it to French")
                      .requestId("sdk-steps-translation")
                      .end("Remboursement sous 30 jours.", 20, 9, "stop"))
          .get();
      agent.output("Refunds within 30 days.");
      return new AgentRun(agent.traceId(), agent.spanId(), retrievalId);
    } finally {
      executor.shutdown();
    }
  }

  record AgentRun(String traceId, String agentId, String retrievalId) {}

  @Test
  void agentRun_stepsAndCalls_formOneTreeByTraceAndParent() throws Exception {
    AgentRun run;
    try (LlmLogger logger =
        LlmLogger.builder("sdk-agent")
            .endpoint(TestServers.api(server))
            .noLines()
            .shutdownHook(false)
            .batchTimeout(Duration.ofMillis(100))
            .build()) {
      run = agentRun(logger);
      assertThat(logger.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(logger.shippingMetrics().delivered()).isEqualTo(4);
      assertThat(logger.shippingMetrics().dropped()).isZero();
    }

    Map<String, JsonNode> steps =
        bySpan(TraceHits.await(es, "llm-spans-*", run.traceId(), 2), "span_id");
    assertThat(steps).containsOnlyKeys(run.agentId(), run.retrievalId());
    JsonNode agent = steps.get(run.agentId());
    assertThat(agent.has("parent_id")).isFalse();
    assertThat(agent.path("kind").asText()).isEqualTo("agent");
    assertThat(agent.path("name").asText()).isEqualTo("invoke_agent planner");
    assertThat(agent.path("agent").path("name").asText()).isEqualTo("planner");
    assertThat(agent.path("status").asText()).isEqualTo("unset");
    assertThat(agent.path("source").asText()).isEqualTo("sdk");
    assertThat(agent.path("service").asText()).isEqualTo("sdk-agent");
    assertThat(agent.path("duration_ms").asDouble()).isGreaterThanOrEqualTo(0);
    JsonNode retrieval = steps.get(run.retrievalId());
    assertThat(retrieval.path("parent_id").asText()).isEqualTo(run.agentId());
    assertThat(retrieval.path("kind").asText()).isEqualTo("retrieval");
    // The server's pipeline redacts a step's texts as it does prompts.
    assertThat(retrieval.path("retrieval").path("query").asText())
        .isEqualTo("refund policy for [EMAIL]");
    assertThat(retrieval.path("retrieval").path("document_ids"))
        .extracting(JsonNode::asText)
        .containsExactly("doc_1", "doc_2");

    Map<String, JsonNode> calls =
        bySpan(TraceHits.await(es, "llm-logs-*", run.traceId(), 2), "request_id");
    assertThat(calls).containsOnlyKeys("sdk-steps-summary", "sdk-steps-translation");
    calls
        .values()
        .forEach(
            call -> {
              assertThat(call.path("trace_id").asText()).isEqualTo(run.traceId());
              assertThat(call.path("parent_id").asText()).isEqualTo(run.agentId());
            });
  }

  private static Map<String, JsonNode> bySpan(JsonNode hits, String key) {
    Map<String, JsonNode> documents = new LinkedHashMap<>();
    hits.forEach(hit -> documents.put(hit.path("_source").path(key).asText(), hit.path("_source")));
    return documents;
  }
}
