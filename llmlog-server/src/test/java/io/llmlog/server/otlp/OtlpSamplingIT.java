package io.llmlog.server.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.core.sample.SamplingPolicy;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import io.llmlog.server.TraceHits;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sampling decides per trace: a trace the rate does not keep loses every span, and a trace with a
 * failed tool is kept whole — when the failure comes in the same export, and when it came in an
 * earlier one.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtlpSamplingIT {
  private static final double RATE = 0.001;
  private static final long T0 = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - 60_000);

  private LlmlogServer server;
  private Http api;
  private Http es;
  private final RawSpans raw = new RawSpans(7);

  @BeforeAll
  void start(TestEngine engine) {
    server =
        TestServers.onSharedEngine(
            engine,
            Map.of(
                "pipeline",
                List.of(
                    Map.of("flatten", Map.of()),
                    Map.of("date", Map.of()),
                    Map.of("redact", Map.of()),
                    Map.of("sample", Map.of("rate", RATE)),
                    Map.of("derive", Map.of()))));
    api = new Http(TestServers.api(server));
    es = new Http(TestServers.es(server));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** An agent span, two chats, a retrieval and a tool under it; the tool failed or not. */
  private List<Span> agentTrace(String trace, boolean toolFails) {
    String agent = raw.spanId();
    List<Span> spans = new ArrayList<>();
    spans.add(
        child(
            trace,
            agent,
            "chat gpt-4o",
            Map.of(
                "gen_ai.operation.name",
                "chat",
                "gen_ai.provider.name",
                "openai",
                "gen_ai.request.model",
                "gpt-4o")));
    spans.add(
        child(
            trace,
            agent,
            "retrieval kb",
            Map.of(
                "gen_ai.operation.name", "retrieval", "gen_ai.retrieval.query.text", "refunds")));
    Span.Builder tool =
        RawSpans.span(
                trace,
                raw.spanId(),
                "execute_tool refund",
                T0,
                3_000_000,
                Map.of(
                    "gen_ai.operation.name",
                    "execute_tool",
                    "gen_ai.tool.name",
                    "refund",
                    "error.type",
                    toolFails ? "TimeoutError" : ""))
            .setParentSpanId(hexBytes(agent));
    if (toolFails) {
      tool.setStatus(
          Status.newBuilder()
              .setCode(Status.StatusCode.STATUS_CODE_ERROR)
              .setMessage("the refund service timed out"));
    } else {
      tool.clearAttributes()
          .addAttributes(RawSpans.attribute("gen_ai.operation.name", "execute_tool"))
          .addAttributes(RawSpans.attribute("gen_ai.tool.name", "refund"));
    }
    spans.add(tool.build());
    spans.add(
        child(
            trace,
            agent,
            "chat gpt-4o",
            Map.of(
                "gen_ai.operation.name",
                "chat",
                "gen_ai.provider.name",
                "openai",
                "gen_ai.request.model",
                "gpt-4o")));
    spans.add(
        RawSpans.span(
                trace,
                agent,
                "invoke_agent support",
                T0,
                9_000_000,
                Map.of("gen_ai.operation.name", "invoke_agent", "gen_ai.agent.name", "support"))
            .build());
    return spans;
  }

  private Span child(String trace, String parent, String name, Map<String, Object> attributes) {
    return RawSpans.span(trace, raw.spanId(), name, T0, 2_000_000, attributes)
        .setParentSpanId(hexBytes(parent))
        .build();
  }

  private static com.google.protobuf.ByteString hexBytes(String hex) {
    return com.google.protobuf.ByteString.copyFrom(java.util.HexFormat.of().parseHex(hex));
  }

  /** A trace id the rate does not keep, so that only the failure rule can keep its spans. */
  private String unluckyTrace() {
    String trace;
    do {
      trace = raw.traceId();
    } while (SamplingPolicy.position(trace) < RATE);
    return trace;
  }

  @Test
  void export_traceWithAFailedTool_isKeptWhole() throws Exception {
    String failed = unluckyTrace();
    String fine = unluckyTrace();
    List<Span> spans = new ArrayList<>(agentTrace(failed, true));
    spans.addAll(agentTrace(fine, false));

    post(spans);

    assertThat(TraceHits.await(es, "llm-spans-*", failed, 3)).hasSize(3);
    assertThat(TraceHits.await(es, "llm-logs-*", failed, 2)).hasSize(2);
    assertThat(
            TraceHits.hits(es, "llm-spans-*", fine).size()
                + TraceHits.hits(es, "llm-logs-*", fine).size())
        .as("a successful trace the rate does not keep")
        .isZero();
  }

  @Test
  void export_failureInAnEarlierExport_keepsTheLaterSpansOfItsTrace() throws Exception {
    String trace = unluckyTrace();
    List<Span> spans = agentTrace(trace, true);
    Span tool = spans.remove(2);

    post(List.of(tool));
    post(spans);

    assertThat(TraceHits.await(es, "llm-spans-*", trace, 3)).hasSize(3);
    assertThat(TraceHits.await(es, "llm-logs-*", trace, 2)).hasSize(2);
    JsonNode steps = TraceHits.hits(es, "llm-spans-*", trace);
    assertThat(steps.findValuesAsText("level")).contains("error");
  }

  private void post(List<Span> spans) {
    Http.Answer answer =
        api.postBytes(
            "/v1/traces",
            "application/x-protobuf",
            RawSpans.export("sampled", spans).toByteArray(),
            null);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
  }
}
