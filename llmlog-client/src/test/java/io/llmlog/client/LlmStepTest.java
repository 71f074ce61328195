package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.core.LlmLogEntry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LlmStepTest extends ContextTestBase {
  static final String OTEL_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String OTEL_SPAN = "00f067aa0ba902b7";

  final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  LlmLogger logger() {
    return logger(
        LlmLogger.builder("agent-svc")
            .environment("test")
            .clock(Clock.fixed(Entries.NOW, ZoneOffset.UTC))
            .nanoTime(nanos::get));
  }

  List<Map<String, Object>> shipped(RecordKind kind) {
    assertThat(logger.flush(WAIT)).isTrue();
    return shipped.batches().stream()
        .filter(batch -> batch.kind() == kind)
        .flatMap(batch -> batch.records().stream())
        .map(JsonTree::object)
        .toList();
  }

  static LlmLogEntry call(String model) {
    return LlmLogEntry.builder().model(model).build();
  }

  @Test
  void step_nested_givesW3cIdsAndParentsTheCallsAndStepsInside() {
    logger();
    String agentSpan;
    String retrievalSpan;
    String trace;
    try (var agent = logger.step("invoke_agent planner", StepKind.AGENT).agentName("planner")) {
      trace = agent.traceId();
      agentSpan = agent.spanId();
      try (var retrieval = logger.step("search-docs", StepKind.RETRIEVAL)) {
        retrievalSpan = retrieval.spanId();
        assertThat(retrieval.traceId()).isEqualTo(trace);
        assertThat(retrieval.parentId()).isEqualTo(agentSpan);
        logger.log(call("embedder"));
      }
      logger.log(call("gpt-4o"));
    }
    logger.log(call("after"));

    assertThat(trace).matches("[0-9a-f]{32}");
    assertThat(agentSpan).matches("[0-9a-f]{16}").isNotEqualTo(retrievalSpan);
    List<Map<String, Object>> calls = shipped(RecordKind.CALL);
    assertThat(calls.get(0))
        .containsEntry("trace_id", trace)
        .containsEntry("parent_id", retrievalSpan);
    assertThat(calls.get(1)).containsEntry("trace_id", trace).containsEntry("parent_id", agentSpan);
    assertThat(calls.get(2)).doesNotContainKeys("trace_id", "parent_id");
    List<Map<String, Object>> steps = shipped(RecordKind.STEP);
    assertThat(steps)
        .extracting(step -> step.get("name"))
        .containsExactly("search-docs", "invoke_agent planner");
    assertThat(steps.get(0))
        .containsEntry("trace_id", trace)
        .containsEntry("span_id", retrievalSpan)
        .containsEntry("parent_id", agentSpan)
        .containsEntry("kind", "retrieval");
    assertThat(steps.get(1))
        .containsEntry("trace_id", trace)
        .containsEntry("span_id", agentSpan)
        .doesNotContainKey("parent_id")
        .containsEntry("kind", "agent")
        .containsEntry("agent.name", "planner");
  }

  @Test
  void step_closed_recordsStartDurationStatusAndItsFields() {
    logger();
    try (var ctx = LlmLogContext.session("s-1").user("u-7");
        var step =
            logger
                .step("execute_tool get_weather", StepKind.TOOL)
                .operation("execute_tool")
                .toolName("get_weather")
                .toolType("function")
                .toolCallId("call-1")
                .toolArguments("{\"city\":\"北京\"}")
                .metadata("tenant", "acme")) {
      nanos.addAndGet(12_500_000L);
      step.toolResult("sunny").input("in").output("out");
    }
    try (var retrieval = logger.step("search-docs", StepKind.RETRIEVAL).retrievalQuery("weather")) {
      retrieval.retrievalDocumentIds(List.of("doc-1", "doc-2"));
    }

    List<Map<String, Object>> steps = shipped(RecordKind.STEP);
    assertThat(steps.get(0))
        .containsEntry("timestamp", "2026-11-28T08:30:15.123456Z")
        .containsEntry("duration_ms", 12.5)
        .containsEntry("status", "unset")
        .containsEntry("level", "info")
        .containsEntry("source", "sdk")
        .containsEntry("service", "agent-svc")
        .containsEntry("environment", "test")
        .containsEntry("session_id", "s-1")
        .containsEntry("user_id", "u-7")
        .containsEntry("operation", "execute_tool")
        .containsEntry("tool.name", "get_weather")
        .containsEntry("tool.type", "function")
        .containsEntry("tool.call_id", "call-1")
        .containsEntry("tool.arguments", "{\"city\":\"北京\"}")
        .containsEntry("tool.result", "sunny")
        .containsEntry("input", "in")
        .containsEntry("output", "out")
        .containsEntry("metadata", Map.of("tenant", "acme"))
        .doesNotContainKeys("error.type", "redacted");
    assertThat(steps.get(1))
        .containsEntry("retrieval.query", "weather")
        .containsEntry("retrieval.document_ids", List.of("doc-1", "doc-2"))
        .doesNotContainKeys("session_id", "user_id");
    assertThat(shipped.batches()).filteredOn(batch -> batch.kind() == RecordKind.STEP).isNotEmpty();
    assertThat(logger.shippingMetrics().delivered()).isEqualTo(2);
  }

  @Test
  void step_errorThenClose_hasErrorStatusAndLevel() {
    logger();
    try (var step = logger.step("execute_tool lookup", StepKind.TOOL)) {
      step.error(new IllegalStateException("index offline"));
    }
    logger.step("execute_tool fetch", StepKind.TOOL).fail(new java.io.IOException("timed out"));

    List<Map<String, Object>> steps = shipped(RecordKind.STEP);
    assertThat(steps.get(0))
        .containsEntry("status", "error")
        .containsEntry("level", "error")
        .containsEntry("error.type", "java.lang.IllegalStateException")
        .containsEntry("error.message", "index offline");
    assertThat(steps.get(1))
        .containsEntry("status", "error")
        .containsEntry("error.type", "java.io.IOException");
  }

  @Test
  void step_closedTwice_isRecordedOnceAndRestoresTheContext() {
    logger();
    try (var outer = LlmLogContext.session("s-1")) {
      LlmStep step = logger.step(null, null);
      assertThat(LlmLogContext.current().parentId()).isEqualTo(step.spanId());
      assertThat(LlmLogContext.current().sessionId()).isEqualTo("s-1");
      step.close();
      step.close();
      step.toolName("late"); // ignored: the step is recorded
      assertThat(LlmLogContext.current())
          .isEqualTo(new LlmLogContext.Values("s-1", null, null, null));
    }

    assertThat(shipped(RecordKind.STEP))
        .singleElement()
        .satisfies(
            step ->
                assertThat(step)
                    .containsEntry("name", "other")
                    .containsEntry("kind", "other")
                    .doesNotContainKey("tool.name"));
  }

  @Test
  void wrappedExecutor_tasksSubmittedInAStep_carryItsTraceAndParent() throws Exception {
    logger();
    ExecutorService pool = LlmLogContext.wrap(Executors.newFixedThreadPool(2));
    ExecutorService plain = Executors.newSingleThreadExecutor();
    String span;
    try (var step = logger.step("fan-out", StepKind.WORKFLOW)) {
      span = step.spanId();
      pool.submit(() -> logger.log(call("in-task"))).get();
      pool.invokeAll(
              List.of(
                  () -> {
                    logger.log(call("in-invoked"));
                    return 1;
                  }))
          .get(0)
          .get();
      plain.submit(() -> logger.log(call("unwrapped"))).get();
    } finally {
      pool.shutdown();
      plain.shutdown();
    }

    List<Map<String, Object>> calls = shipped(RecordKind.CALL);
    assertThat(calls.get(0)).containsEntry("model", "in-task").containsEntry("parent_id", span);
    assertThat(calls.get(1)).containsEntry("model", "in-invoked").containsEntry("parent_id", span);
    assertThat(calls.get(2))
        .containsEntry("model", "unwrapped")
        .doesNotContainKeys("trace_id", "parent_id");
    assertThat(calls.get(0).get("trace_id")).isEqualTo(calls.get(1).get("trace_id")).isNotNull();
  }

  @Test
  void openTelemetry_spanCurrentWhenTheStepStarts_isTheStepsParentAndItsTrace() {
    logger();
    String step;
    try (var otel = Span.wrap(spanContext(OTEL_SPAN)).makeCurrent();
        var agent = logger.step("agent", StepKind.AGENT)) {
      step = agent.spanId();
      assertThat(agent.traceId()).isEqualTo(OTEL_TRACE);
      assertThat(agent.parentId()).isEqualTo(OTEL_SPAN);
      logger.log(call("inside-step")); // the same span is current: the step is closer to the call
    }

    assertThat(shipped(RecordKind.CALL).get(0))
        .containsEntry("trace_id", OTEL_TRACE)
        .containsEntry("parent_id", step);
    assertThat(shipped(RecordKind.STEP).get(0))
        .containsEntry("trace_id", OTEL_TRACE)
        .containsEntry("parent_id", OTEL_SPAN);
  }

  @Test
  void openTelemetry_spanStartedInsideTheStep_winsForTheCallsInIt() {
    logger();
    String step;
    String nestedStepParent;
    try (var agent = logger.step("agent", StepKind.AGENT)) {
      step = agent.spanId();
      try (var otel = Span.wrap(spanContext("1111111111111111")).makeCurrent()) {
        logger.log(call("in-otel-span"));
        try (var inner = logger.step("inner", StepKind.STEP)) {
          nestedStepParent = inner.parentId();
        }
      }
      logger.log(call("back-in-step"));
    }

    List<Map<String, Object>> calls = shipped(RecordKind.CALL);
    assertThat(calls.get(0))
        .containsEntry("trace_id", OTEL_TRACE)
        .containsEntry("parent_id", "1111111111111111");
    assertThat(nestedStepParent).isEqualTo("1111111111111111");
    assertThat(calls.get(1)).containsEntry("parent_id", step);
  }

  @Test
  void traceScope_notW3c_stepStartsItsOwnTrace() {
    logger();
    try (var ctx = LlmLogContext.trace("trace-own", "step-1");
        var step = logger.step("s", StepKind.STEP)) {
      assertThat(step.traceId()).matches("[0-9a-f]{32}");
      assertThat(step.parentId()).isNull();
    }
    assertThat(shipped(RecordKind.STEP)).hasSize(1);
  }

  @Test
  void piiRedactor_chosenForShipping_redactsTheStepsTexts() {
    logger(LlmLogger.builder("svc").redactor(Redactor.pii()));
    try (var step =
        logger
            .step("execute_tool mail", StepKind.TOOL)
            .toolArguments("{\"to\":\"li.lei@example.com\"}")
            .toolName("mail")) {
      step.output("sent");
    }

    assertThat(shipped(RecordKind.STEP).get(0))
        .containsEntry("tool.arguments", "{\"to\":\"[EMAIL]\"}")
        .containsEntry("tool.name", "mail")
        .containsEntry("redacted", List.of("email"));
  }

  @Test
  void step_withoutAServer_writesNoLogLine() {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    logger = LlmLogger.builder("svc").lines(lines::add).shutdownHook(false).build();
    try (var step = logger.step("s", StepKind.STEP)) {
      logger.log(call("m"));
    }
    assertThat(logger.flush(WAIT)).isTrue();

    // The brief's line is a call's; a step has no line of its own.
    assertThat(lines)
        .singleElement()
        .satisfies(line -> assertThat(JsonTree.object(line)).containsEntry("model", "m"));
    assertThat(logger.lineMetrics().logged()).isEqualTo(1);
  }

  static SpanContext spanContext(String spanId) {
    return SpanContext.create(OTEL_TRACE, spanId, TraceFlags.getSampled(), TraceState.getDefault());
  }
}
