package io.llmlog.server.otlp;

import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.engine.junit.SharedEngineExtension;
import io.llmlog.engine.junit.TestEngine;
import io.llmlog.server.Http;
import io.llmlog.server.LlmlogServer;
import io.llmlog.server.TestServers;
import io.llmlog.server.TraceHits;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpenTelemetry in, with the OpenTelemetry Java SDK's own OTLP exporters (http/protobuf and
 * http/json): model spans in the current and the older conventions, content that arrives as log
 * records in another export, other emitters' names, agent traces, and bad input.
 */
@ExtendWith(SharedEngineExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtlpIT {
  private static final long T0 = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - 60_000);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private LlmlogServer server;
  private URI base;
  private Http api;
  private Http es;
  private final RawSpans raw = new RawSpans(14);

  @BeforeAll
  void start(TestEngine engine) {
    // A 10,000-span export is one bulk write; on a busy two-core machine the engine may take longer
    // than the default 30 s.
    server =
        TestServers.onSharedEngine(
            engine,
            Map.of(
                "limits",
                Map.of("max_body_bytes", "4MB", "max_decompressed_bytes", "8MB"),
                "engine",
                Map.of("request_timeout", "120s")));
    base = TestServers.api(server);
    api = new Http(base);
    es = new Http(TestServers.es(server));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http/protobuf", "http/json"})
  void export_currentConventions_storesTheCallWithItsFieldsAndText(String protocol)
      throws Exception {
    String id;
    try (OtlpSdk otel = new OtlpSdk(base, protocol, "support-bot", Map.of())) {
      Tracer tracer = otel.sdk().getTracer("otlp-it");
      Span span =
          tracer
              .spanBuilder("chat gpt-4o")
              .setSpanKind(SpanKind.CLIENT)
              .setStartTimestamp(T0, TimeUnit.NANOSECONDS)
              .setAttribute("gen_ai.operation.name", "chat")
              .setAttribute("gen_ai.provider.name", "openai")
              .setAttribute("gen_ai.request.model", "gpt-4o")
              .setAttribute("gen_ai.response.model", "gpt-4o-2024-08-06")
              .setAttribute(doubleKey("gen_ai.request.temperature"), 0.2)
              .setAttribute(longKey("gen_ai.request.max_tokens"), 200L)
              .setAttribute(longKey("gen_ai.usage.input_tokens"), 42L)
              .setAttribute(longKey("gen_ai.usage.output_tokens"), 7L)
              .setAttribute(longKey("gen_ai.usage.cache_read.input_tokens"), 30L)
              .setAttribute(longKey("gen_ai.usage.reasoning.output_tokens"), 2L)
              .setAttribute(doubleKey("gen_ai.response.time_to_first_chunk"), 0.25)
              .setAttribute(stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop"))
              .setAttribute("gen_ai.conversation.id", "conv-" + protocol)
              .setAttribute(
                  "gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":\"你是一个AI助手\"}]")
              .setAttribute(
                  "gen_ai.input.messages",
                  "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"北京天气如何? mail me at li.lei@example.com\"}]}]")
              .setAttribute(
                  "gen_ai.output.messages",
                  "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"北京今天晴。\"}],\"finish_reason\":\"stop\"}]")
              .setAttribute("app.tenant", "acme")
              .startSpan();
      span.end(T0 + TimeUnit.MILLISECONDS.toNanos(1234), TimeUnit.NANOSECONDS);
      id = span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId();
      otel.flushSpans();
    }

    JsonNode call = awaitCall(id);
    assertThat(call.path("request_id").asText()).isEqualTo(id);
    assertThat(call.path("trace_id").asText()).isEqualTo(id.substring(0, 32));
    assertThat(call.path("span_id").asText()).isEqualTo(id.substring(33));
    assertThat(call.has("parent_id")).isFalse();
    assertThat(call.path("service").asText()).isEqualTo("support-bot");
    assertThat(call.path("environment").asText()).isEqualTo("test");
    assertThat(call.path("operation").asText()).isEqualTo("chat");
    assertThat(call.path("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(call.path("provider").asText()).isEqualTo("openai");
    assertThat(call.path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(call.path("max_tokens").asInt()).isEqualTo(200);
    assertThat(call.path("input_tokens").asInt()).isEqualTo(42);
    assertThat(call.path("output_tokens").asInt()).isEqualTo(7);
    assertThat(call.path("cached_input_tokens").asInt()).isEqualTo(30);
    assertThat(call.path("reasoning_tokens").asInt()).isEqualTo(2);
    assertThat(call.path("latency_ms").asDouble()).isEqualTo(1234.0);
    assertThat(call.path("ttft_ms").asDouble()).isEqualTo(250.0);
    assertThat(call.path("stop_reason").asText()).isEqualTo("stop");
    assertThat(call.path("session_id").asText()).isEqualTo("conv-" + protocol);
    assertThat(call.path("level").asText()).isEqualTo("info");
    assertThat(call.path("timestamp").asText())
        .isEqualTo(io.llmlog.core.Timestamps.format(java.time.Instant.ofEpochSecond(0, T0)));
    assertThat(call.path("system_prompt").asText()).isEqualTo("你是一个AI助手");
    assertThat(call.path("prompt").asText()).isEqualTo("北京天气如何? mail me at [EMAIL]");
    assertThat(call.path("response").asText()).isEqualTo("北京今天晴。");
    assertThat(call.path("input_messages").get(1).path("parts").get(0).path("content").asText())
        .isEqualTo("北京天气如何? mail me at [EMAIL]");
    assertThat(call.path("output_messages").get(0).path("finish_reason").asText())
        .isEqualTo("stop");
    assertThat(call.path("metadata").path("app_tenant").asText()).isEqualTo("acme");
    assertThat(call.path("cost_usd").asDouble()).isPositive();
  }

  @Test
  void export_olderConventions_perMessageSpanEventsAndAFailure_storeTheConversationAndTheError()
      throws Exception {
    String id;
    try (OtlpSdk otel = new OtlpSdk(base, "http/protobuf", "legacy-bot", Map.of())) {
      Span span =
          otel.sdk()
              .getTracer("otlp-it")
              .spanBuilder("chat gpt-4")
              .setStartTimestamp(T0, TimeUnit.NANOSECONDS)
              .setAttribute("gen_ai.system", "openai")
              .setAttribute("gen_ai.request.model", "gpt-4")
              .setAttribute(longKey("gen_ai.usage.input_tokens"), 15L)
              .startSpan();
      span.addEvent(
          "gen_ai.system.message",
          Attributes.of(
              stringKey("gen_ai.event.content"), "{\"content\":\"You answer in one line.\"}"));
      span.addEvent(
          "gen_ai.user.message",
          Attributes.of(stringKey("gen_ai.event.content"), "{\"content\":\"What is OTLP?\"}"));
      span.recordException(new IllegalStateException("upstream said 500"));
      span.setStatus(StatusCode.ERROR, "the provider failed");
      span.end(T0 + TimeUnit.MILLISECONDS.toNanos(80), TimeUnit.NANOSECONDS);
      id = span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId();
      otel.flushSpans();
    }

    JsonNode call = awaitCall(id);
    assertThat(call.path("operation").asText()).isEqualTo("chat");
    assertThat(call.path("provider").asText()).isEqualTo("openai");
    assertThat(call.path("model").asText()).isEqualTo("gpt-4");
    assertThat(call.path("system_prompt").asText()).isEqualTo("You answer in one line.");
    assertThat(call.path("prompt").asText()).isEqualTo("What is OTLP?");
    assertThat(call.path("level").asText()).isEqualTo("error");
    assertThat(call.path("error").path("type").asText())
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(call.path("error").path("message").asText()).isEqualTo("the provider failed");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void export_contentAsLogRecordsInAnotherExport_mergesWithItsSpanInEitherOrder(boolean logsFirst)
      throws Exception {
    String id;
    try (OtlpSdk otel =
        new OtlpSdk(base, logsFirst ? "http/json" : "http/protobuf", "events-bot", Map.of())) {
      Span span =
          otel.sdk()
              .getTracer("otlp-it")
              .spanBuilder("chat gpt-4o-mini")
              .setStartTimestamp(T0, TimeUnit.NANOSECONDS)
              .setAttribute("gen_ai.operation.name", "chat")
              .setAttribute("gen_ai.system", "openai")
              .setAttribute("gen_ai.request.model", "gpt-4o-mini")
              .setAttribute(longKey("gen_ai.usage.input_tokens"), 20L)
              .setAttribute(longKey("gen_ai.usage.output_tokens"), 5L)
              .setAttribute(stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop"))
              .startSpan();
      Context context = Context.root().with(span);
      var logger = otel.sdk().getLogsBridge().get("openai-v2");
      long at = T0 + TimeUnit.MILLISECONDS.toNanos(10);
      logger
          .logRecordBuilder()
          .setContext(context)
          .setTimestamp(at, TimeUnit.NANOSECONDS)
          .setEventName("gen_ai.system.message")
          .setBody(Value.of(Map.of("content", Value.of("Be brief."))))
          .emit();
      logger
          .logRecordBuilder()
          .setContext(context)
          .setTimestamp(at, TimeUnit.NANOSECONDS)
          .setEventName("gen_ai.user.message")
          .setBody(Value.of(Map.of("content", Value.of("Say hi."))))
          .emit();
      logger
          .logRecordBuilder()
          .setContext(context)
          .setTimestamp(at + 1000, TimeUnit.NANOSECONDS)
          .setEventName("gen_ai.choice")
          .setBody(
              Value.of(
                  Map.of(
                      "index",
                      Value.of(0L),
                      "finish_reason",
                      Value.of("stop"),
                      "message",
                      Value.of(Map.of("role", Value.of("assistant"), "content", Value.of("Hi!"))))))
          .emit();
      span.end(T0 + TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.NANOSECONDS);
      id = span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId();
      if (logsFirst) {
        otel.flushLogs();
        otel.flushSpans();
      } else {
        otel.flushSpans();
        otel.flushLogs();
      }
    }

    JsonNode call = awaitCall(id, node -> node.has("response") && node.has("latency_ms"));
    assertThat(call.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(call.path("input_tokens").asInt()).isEqualTo(20);
    assertThat(call.path("latency_ms").asDouble()).isEqualTo(300.0);
    assertThat(call.path("system_prompt").asText()).isEqualTo("Be brief.");
    assertThat(call.path("prompt").asText()).isEqualTo("Say hi.");
    assertThat(call.path("response").asText()).isEqualTo("Hi!");
    assertThat(call.path("timestamp").asText())
        .as("the span's start, whichever part came first")
        .isEqualTo(io.llmlog.core.Timestamps.format(java.time.Instant.ofEpochSecond(0, T0)));
    assertThat(call.path("level").asText()).isEqualTo("info");
  }

  @Test
  void export_operationDetailsRecords_withTheirSpanAndWithoutOne_becomeCalls() throws Exception {
    String id;
    String responseId = "chatcmpl-details-" + System.nanoTime();
    try (OtlpSdk otel = new OtlpSdk(base, "http/protobuf", "details-bot", Map.of())) {
      Span span =
          otel.sdk()
              .getTracer("otlp-it")
              .spanBuilder("chat gpt-4.1")
              .setStartTimestamp(T0, TimeUnit.NANOSECONDS)
              .setAttribute("gen_ai.operation.name", "chat")
              .setAttribute("gen_ai.provider.name", "openai")
              .startSpan();
      span.end(T0 + TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.NANOSECONDS);
      id = span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId();
      var logger = otel.sdk().getLogsBridge().get("genai");
      Attributes details =
          Attributes.builder()
              .put("gen_ai.operation.name", "chat")
              .put("gen_ai.request.model", "gpt-4.1")
              .put(longKey("gen_ai.usage.input_tokens"), 30L)
              .put(
                  "gen_ai.input.messages",
                  "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Plan my day.\"}]}]")
              .put(
                  "gen_ai.output.messages",
                  "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"First, coffee.\"}],\"finish_reason\":\"stop\"}]")
              .build();
      logger
          .logRecordBuilder()
          .setContext(Context.root().with(span))
          .setTimestamp(T0 + 1000, TimeUnit.NANOSECONDS)
          .setEventName("gen_ai.client.inference.operation.details")
          .setAllAttributes(details)
          .emit();
      logger
          .logRecordBuilder()
          .setTimestamp(T0 + 2000, TimeUnit.NANOSECONDS)
          .setEventName("gen_ai.client.inference.operation.details")
          .setAllAttributes(details.toBuilder().put("gen_ai.response.id", responseId).build())
          .emit();
      otel.flushSpans();
      otel.flushLogs();
    }

    JsonNode call = awaitCall(id, node -> node.has("response"));
    assertThat(call.path("model").asText()).isEqualTo("gpt-4.1");
    assertThat(call.path("input_tokens").asInt()).isEqualTo(30);
    assertThat(call.path("prompt").asText()).isEqualTo("Plan my day.");
    assertThat(call.path("response").asText()).isEqualTo("First, coffee.");
    assertThat(call.path("latency_ms").asDouble()).isEqualTo(50.0);
    JsonNode alone = awaitCall("otlp-" + responseId);
    assertThat(alone.path("response").asText()).isEqualTo("First, coffee.");
    assertThat(alone.path("service").asText()).isEqualTo("details-bot");
  }

  @Test
  void export_otherEmittersNames_openLlmetryAndOpenInference_mapToTheSameFields() throws Exception {
    String trace = raw.traceId();
    String openLlmetry = raw.spanId();
    String openInference = raw.spanId();
    Map<String, Object> traceloop = new LinkedHashMap<>();
    traceloop.put("llm.request.type", "chat");
    traceloop.put("gen_ai.system", "Anthropic");
    traceloop.put("gen_ai.request.model", "claude-3-5-sonnet");
    traceloop.put("gen_ai.usage.prompt_tokens", 11L);
    traceloop.put("gen_ai.usage.completion_tokens", 4L);
    traceloop.put("gen_ai.prompt.0.role", "system");
    traceloop.put("gen_ai.prompt.0.content", "Be kind.");
    traceloop.put("gen_ai.prompt.1.role", "user");
    traceloop.put("gen_ai.prompt.1.content", "Weather in Paris?");
    traceloop.put("gen_ai.completion.0.role", "assistant");
    traceloop.put("gen_ai.completion.0.finish_reason", "tool_calls");
    traceloop.put("gen_ai.completion.0.tool_calls.0.id", "call_1");
    traceloop.put("gen_ai.completion.0.tool_calls.0.name", "weather");
    traceloop.put("gen_ai.completion.0.tool_calls.0.arguments", "{\"city\":\"Paris\"}");
    Map<String, Object> phoenix = new LinkedHashMap<>();
    phoenix.put("openinference.span.kind", "LLM");
    phoenix.put("llm.model_name", "gpt-4o");
    phoenix.put("llm.provider", "openai");
    phoenix.put("llm.invocation_parameters", "{\"temperature\": 0.5, \"max_tokens\": 64}");
    phoenix.put("llm.token_count.prompt", 9L);
    phoenix.put("llm.token_count.completion", 3L);
    phoenix.put("llm.input_messages.0.message.role", "user");
    phoenix.put("llm.input_messages.0.message.content", "Hello?");
    phoenix.put("llm.output_messages.0.message.role", "assistant");
    phoenix.put("llm.output_messages.0.message.contents.0.message_content.type", "text");
    phoenix.put("llm.output_messages.0.message.contents.0.message_content.text", "Hello!");
    phoenix.put("session.id", "s-9");
    phoenix.put("user.id", "u-9");
    post(
        RawSpans.export(
            "emitters",
            List.of(
                RawSpans.span(trace, openLlmetry, "anthropic.chat", T0, 5_000_000, traceloop)
                    .build(),
                RawSpans.span(trace, openInference, "ChatCompletion", T0, 6_000_000, phoenix)
                    .build())));

    JsonNode first = awaitCall(trace + "-" + openLlmetry);
    assertThat(first.path("provider").asText()).isEqualTo("Anthropic");
    assertThat(first.path("input_tokens").asInt()).isEqualTo(11);
    assertThat(first.path("system_prompt").asText()).isEqualTo("Be kind.");
    assertThat(first.path("prompt").asText()).isEqualTo("Weather in Paris?");
    assertThat(first.path("response").asText())
        .isEqualTo("[tool_call weather {\"city\":\"Paris\"}]");
    assertThat(first.path("stop_reason").asText()).isEqualTo("tool_calls");
    JsonNode second = awaitCall(trace + "-" + openInference);
    assertThat(second.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(second.path("temperature").asDouble()).isEqualTo(0.5);
    assertThat(second.path("max_tokens").asInt()).isEqualTo(64);
    assertThat(second.path("output_tokens").asInt()).isEqualTo(3);
    assertThat(second.path("prompt").asText()).isEqualTo("Hello?");
    assertThat(second.path("response").asText()).isEqualTo("Hello!");
    assertThat(second.path("session_id").asText()).isEqualTo("s-9");
    assertThat(second.path("user_id").asText()).isEqualTo("u-9");
  }

  @Test
  void export_sentTwice_storesOneDocumentPerCall() throws Exception {
    String trace = raw.traceId();
    List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      spans.add(
          RawSpans.span(
                  trace,
                  raw.spanId(),
                  "chat m",
                  T0 + i,
                  1_000_000,
                  Map.of(
                      "gen_ai.operation.name",
                      "chat",
                      "gen_ai.provider.name",
                      "openai",
                      "gen_ai.request.model",
                      "m"))
              .build());
    }
    ExportTraceServiceRequest export = RawSpans.export("twice", spans);

    ExportTraceServiceResponse first = post(export);
    ExportTraceServiceResponse second = post(export);

    assertThat(first.hasPartialSuccess()).isFalse();
    assertThat(second.hasPartialSuccess()).isFalse();
    assertThat(awaitTotal("trace_id:" + trace, 3))
        .as("both sends are written before the search; one refresh shows them all")
        .isEqualTo(3);
  }

  @Test
  void export_agentTrace_landsAsTwoCallsAndThreeStepsLinkedToTheirParents() throws Exception {
    String traceId;
    String agentId;
    try (OtlpSdk otel = new OtlpSdk(base, "http/protobuf", "agent-app", Map.of())) {
      Tracer tracer = otel.sdk().getTracer("agents");
      Span agent =
          tracer
              .spanBuilder("invoke_agent planner")
              .setAttribute("gen_ai.operation.name", "invoke_agent")
              .setAttribute("gen_ai.agent.name", "planner")
              .setAttribute("gen_ai.provider.name", "openai")
              .startSpan();
      Context inAgent = Context.root().with(agent);
      chat(tracer, inAgent, 1);
      Span retrieval =
          tracer
              .spanBuilder("retrieval docs")
              .setParent(inAgent)
              .setAttribute("gen_ai.operation.name", "retrieval")
              .setAttribute("gen_ai.retrieval.query.text", "refund policy for li.lei@example.com")
              .setAttribute(
                  "gen_ai.retrieval.documents",
                  "[{\"id\":\"doc_1\",\"score\":0.9},{\"id\":\"doc_2\",\"score\":0.7}]")
              .startSpan();
      retrieval.end();
      Span tool =
          tracer
              .spanBuilder("execute_tool get_weather")
              .setParent(inAgent)
              .setAttribute("gen_ai.operation.name", "execute_tool")
              .setAttribute("gen_ai.tool.name", "get_weather")
              .setAttribute("gen_ai.tool.call.id", "call_7")
              .setAttribute("gen_ai.tool.type", "function")
              .setAttribute("gen_ai.tool.call.arguments", "{\"city\":\"Paris\"}")
              .setAttribute("gen_ai.tool.call.result", "{\"sky\":\"rain\"}")
              .startSpan();
      tool.end();
      chat(tracer, inAgent, 2);
      Span http =
          tracer
              .spanBuilder("GET /health")
              .setParent(inAgent)
              .setAttribute("http.request.method", "GET")
              .startSpan();
      http.end();
      agent.end();
      traceId = agent.getSpanContext().getTraceId();
      agentId = agent.getSpanContext().getSpanId();
      otel.flushSpans();
    }

    JsonNode steps = TraceHits.await(es, "llm-spans-*", traceId, 3);
    Map<String, JsonNode> byKind = new LinkedHashMap<>();
    steps.forEach(
        hit -> byKind.put(hit.path("_source").path("kind").asText(), hit.path("_source")));
    assertThat(byKind).containsOnlyKeys("agent", "tool", "retrieval");
    assertThat(byKind.get("agent").path("agent").path("name").asText()).isEqualTo("planner");
    assertThat(byKind.get("agent").has("parent_id")).isFalse();
    assertThat(byKind.get("tool").path("parent_id").asText()).isEqualTo(agentId);
    assertThat(byKind.get("tool").path("tool").path("name").asText()).isEqualTo("get_weather");
    assertThat(byKind.get("tool").path("tool").path("call_id").asText()).isEqualTo("call_7");
    assertThat(byKind.get("tool").path("tool").path("arguments").asText())
        .isEqualTo("{\"city\":\"Paris\"}");
    assertThat(byKind.get("tool").path("tool").path("result").asText())
        .isEqualTo("{\"sky\":\"rain\"}");
    assertThat(byKind.get("tool").path("source").asText()).isEqualTo("otlp");
    assertThat(byKind.get("retrieval").path("retrieval").path("query").asText())
        .isEqualTo("refund policy for [EMAIL]");
    assertThat(byKind.get("retrieval").path("retrieval").path("document_ids"))
        .extracting(JsonNode::asText)
        .containsExactly("doc_1", "doc_2");
    JsonNode calls = TraceHits.await(es, "llm-logs-*", traceId, 2);
    calls.forEach(
        hit -> assertThat(hit.path("_source").path("parent_id").asText()).isEqualTo(agentId));
  }

  private static void chat(Tracer tracer, Context parent, int turn) {
    tracer
        .spanBuilder("chat gpt-4o")
        .setParent(parent)
        .setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.provider.name", "openai")
        .setAttribute("gen_ai.request.model", "gpt-4o")
        .setAttribute(longKey("gen_ai.usage.input_tokens"), 10L * turn)
        .startSpan()
        .end();
  }

  @Test
  void export_credentialsInAttributes_neverReachTheRecord() throws Exception {
    String trace = raw.traceId();
    String span = raw.spanId();
    post(
        RawSpans.export(
            "secrets",
            List.of(
                RawSpans.span(
                        trace,
                        span,
                        "chat gpt-4o",
                        T0,
                        1_000_000,
                        Map.of(
                            "gen_ai.operation.name",
                            "chat",
                            "gen_ai.provider.name",
                            "openai",
                            "http.request.header.authorization",
                            "Bearer sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c",
                            "openai.api_key",
                            "sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c",
                            "app.region",
                            "eu",
                            "gen_ai.input.messages",
                            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"my key is sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c\"}]}]"))
                    .build())));

    JsonNode call = awaitCall(trace + "-" + span);
    assertThat(call.toString()).doesNotContain("4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c");
    assertThat(call.path("metadata").path("app_region").asText()).isEqualTo("eu");
  }

  @Test
  void spansApi_stepsInLlmlogsOwnShape_areStoredAndABadOneIsNamed() throws Exception {
    String trace = raw.traceId();
    String root = raw.spanId();
    String tool = raw.spanId();
    String body =
        "{\"timestamp\": \"2026-08-01T10:00:00Z\", \"trace_id\": \""
            + trace
            + "\", \"span_id\": \""
            + root
            + "\", \"name\": \"invoke_agent triage\", \"kind\": \"agent\", \"agent\": {\"name\": \"triage\"}, \"duration_ms\": 1200}\n"
            + "{\"timestamp\": \"2026-08-01T10:00:00.2Z\", \"trace_id\": \""
            + trace
            + "\", \"span_id\": \""
            + tool
            + "\", \"parent_id\": \""
            + root
            + "\", \"name\": \"execute_tool lookup\", \"kind\": \"tool\", \"tool.name\": \"lookup\", \"tool.arguments\": \"{\\\"email\\\": \\\"li.lei@example.com\\\"}\", \"status\": \"error\", \"level\": \"error\"}\n"
            + "{\"timestamp\": \"2026-08-01T10:00:00Z\", \"trace_id\": \"xyz\", \"span_id\": \""
            + raw.spanId()
            + "\", \"name\": \"bad\"}\n";

    Http.Answer answer = api.post("/api/v1/spans?refresh=wait_for", "application/x-ndjson", body);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().path("accepted").asInt()).isEqualTo(2);
    assertThat(answer.json().path("errors").get(0).path("line").asInt()).isEqualTo(3);
    assertThat(answer.json().path("errors").get(0).path("field").asText()).isEqualTo("trace_id");
    JsonNode steps = TraceHits.await(es, "llm-spans-*", trace, 2);
    JsonNode stored = null;
    for (JsonNode hit : steps) {
      if (hit.path("_id").asText().equals(trace + "-" + tool)) {
        stored = hit.path("_source");
      }
    }
    assertThat(stored).isNotNull();
    assertThat(stored.path("tool").path("arguments").asText())
        .isEqualTo("{\"email\": \"[EMAIL]\"}");
    assertThat(stored.path("source").asText()).isEqualTo("sdk");
    assertThat(stored.path("parent_id").asText()).isEqualTo(root);
  }

  @Test
  void export_corruptProtobuf_is400WithAStatus() throws Exception {
    HttpResponse<byte[]> answer =
        postRaw("/v1/traces", "application/x-protobuf", new byte[] {0x0a, (byte) 0xff, 0x01, 0x02});

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
    assertThat(com.google.rpc.Status.parseFrom(answer.body()).getMessage())
        .contains("not a protobuf OTLP trace export");
  }

  @Test
  void export_otherContentType_is415() throws Exception {
    HttpResponse<byte[]> answer = postRaw("/v1/logs", "text/plain", "hello".getBytes());

    assertThat(answer.statusCode()).isEqualTo(415);
    assertThat(Http.JSON.readTree(answer.body()).path("message").asText())
        .contains("application/x-protobuf or application/json");
  }

  @Test
  void export_overTheSizeLimit_is413() throws Exception {
    HttpResponse<byte[]> answer =
        postRaw("/v1/traces", "application/x-protobuf", new byte[5 << 20]);

    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(com.google.rpc.Status.parseFrom(answer.body()).getMessage())
        .contains("limits.max_body_bytes");
  }

  @Test
  void export_tenThousandSpansWithOneMalformed_is200WithOneRejectedSpanNamed() throws Exception {
    String trace = raw.traceId();
    List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>(10_000);
    for (int i = 0; i < 10_000; i++) {
      var span =
          RawSpans.span(
              trace,
              raw.spanId(),
              "chat bulk-" + i,
              T0 + i,
              1_000_000,
              Map.of(
                  "gen_ai.operation.name",
                  "chat",
                  "gen_ai.provider.name",
                  "openai",
                  "gen_ai.request.model",
                  "bulk",
                  "gen_ai.usage.input_tokens",
                  3L));
      if (i == 4321) {
        span.setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[3]));
      }
      spans.add(span.build());
    }

    ExportTraceServiceResponse answer = post(RawSpans.export("bulk", spans));

    assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(answer.getPartialSuccess().getErrorMessage())
        .contains("'chat bulk-4321'", "spans[4321]", "trace_id must be 16 bytes");
    assertThat(awaitTotal("trace_id:" + trace, 9_999)).isEqualTo(9_999);
  }

  @Test
  void metrics_anyExport_is200AndDiscarded() throws Exception {
    HttpResponse<byte[]> answer =
        postRaw("/v1/metrics", "application/json", "{\"resourceMetrics\":[]}".getBytes());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(new String(answer.body())).isEqualTo("{}");
  }

  private ExportTraceServiceResponse post(ExportTraceServiceRequest export) throws Exception {
    HttpResponse<byte[]> answer =
        postRaw("/v1/traces", "application/x-protobuf", export.toByteArray());
    assertThat(answer.statusCode()).as(new String(answer.body())).isEqualTo(200);
    return ExportTraceServiceResponse.parseFrom(answer.body());
  }

  private HttpResponse<byte[]> postRaw(String path, String contentType, byte[] body)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private JsonNode awaitCall(String requestId) throws InterruptedException {
    return awaitCall(requestId, node -> true);
  }

  private JsonNode awaitCall(String requestId, java.util.function.Predicate<JsonNode> complete)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Http.Answer last = null;
    while (System.nanoTime() < deadline) {
      last = api.get("/api/v1/logs/" + requestId);
      if (last.status() == 200 && complete.test(last.json().path("document"))) {
        return last.json().path("document");
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "call " + requestId + " not stored in time: " + (last == null ? "" : last.body()));
  }

  private int awaitTotal(String kql, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int total = -1;
    while (System.nanoTime() < deadline) {
      total =
          api.get(
                  "/api/v1/search?from=now-1d&size=1&q="
                      + java.net.URLEncoder.encode(kql, java.nio.charset.StandardCharsets.UTF_8))
              .json()
              .path("total")
              .asInt();
      if (total >= expected) {
        return total;
      }
      Thread.sleep(250);
    }
    return total;
  }
}
