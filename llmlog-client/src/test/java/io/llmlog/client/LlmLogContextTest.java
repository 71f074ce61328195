package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.core.LlmLogEntry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class LlmLogContextTest extends ContextTestBase {

  List<Map<String, Object>> records() {
    assertThat(logger.flush(WAIT)).isTrue();
    return shipped.records().stream().map(JsonTree::object).toList();
  }

  @Test
  void scope_sessionAndUser_fillLoggedAndTimedCalls() {
    logger(LlmLogger.builder("svc"));

    try (var ctx = LlmLogContext.session("s-1").user("u-7")) {
      logger.log(LlmLogEntry.builder().model("m").build());
      logger.startCall("m", "hi").end("ok", 1, 1, "stop");
      logger.log(LlmLogEntry.builder().model("m").userId("own-user").build());
    }
    logger.log(LlmLogEntry.builder().model("m").build());

    List<Map<String, Object>> records = records();
    assertThat(records.get(0)).containsEntry("session_id", "s-1").containsEntry("user_id", "u-7");
    assertThat(records.get(1)).containsEntry("session_id", "s-1").containsEntry("user_id", "u-7");
    assertThat(records.get(2))
        .containsEntry("session_id", "s-1")
        .containsEntry("user_id", "own-user");
    assertThat(records.get(3)).doesNotContainKeys("session_id", "user_id");
  }

  @Test
  void scope_nested_restoresTheOuterValuesOnClose() {
    try (var outer = LlmLogContext.session("s-1").user("u-1")) {
      try (var inner = LlmLogContext.user("u-2")) {
        assertThat(LlmLogContext.current())
            .isEqualTo(new LlmLogContext.Values("s-1", "u-2", null, null));
      }
      assertThat(LlmLogContext.current())
          .isEqualTo(new LlmLogContext.Values("s-1", "u-1", null, null));
      outer.close();
      outer.close(); // idempotent
      assertThat(LlmLogContext.current().isEmpty()).isTrue();
    }
  }

  @Test
  void wrap_task_carriesTheValuesToAnotherThread() throws Exception {
    logger(LlmLogger.builder("svc"));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Runnable task;
      try (var ctx = LlmLogContext.session("s-9")) {
        task = LlmLogContext.wrap(() -> logger.log(LlmLogEntry.builder().model("m").build()));
      }
      pool.submit(task).get();
      pool.submit(() -> logger.log(LlmLogEntry.builder().model("m").build())).get();
    } finally {
      pool.shutdown();
    }

    assertThat(records().get(0)).containsEntry("session_id", "s-9");
    assertThat(records().get(1)).doesNotContainKey("session_id");
  }

  @Test
  void traceSource_currentSpan_givesTraceAndParentUnlessAScopeSetsThem() {
    logger(
        LlmLogger.builder("svc")
            .traceSource(
                () ->
                    new TraceSource.TraceIds(
                        "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")));

    logger.log(LlmLogEntry.builder().model("m").build());
    try (var ctx = LlmLogContext.trace("trace-own", "step-1")) {
      logger.log(LlmLogEntry.builder().model("m").build());
    }

    assertThat(records().get(0))
        .containsEntry("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")
        .containsEntry("parent_id", "00f067aa0ba902b7");
    assertThat(records().get(1))
        .containsEntry("trace_id", "trace-own")
        .containsEntry("parent_id", "step-1");
  }

  @Test
  void openTelemetry_currentSpan_givesTraceAndParentByDefault() {
    logger(LlmLogger.builder("svc"));
    io.opentelemetry.api.trace.SpanContext span =
        io.opentelemetry.api.trace.SpanContext.create(
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7",
            io.opentelemetry.api.trace.TraceFlags.getSampled(),
            io.opentelemetry.api.trace.TraceState.getDefault());

    try (var scope = io.opentelemetry.api.trace.Span.wrap(span).makeCurrent()) {
      logger.log(LlmLogEntry.builder().model("m").build());
      logger.startCall("m", "timed").end("ok", 1, 1, "stop");
    }
    logger.log(LlmLogEntry.builder().model("m").build());

    List<Map<String, Object>> records = records();
    for (int i = 0; i < 2; i++) {
      assertThat(records.get(i))
          .containsEntry("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")
          .containsEntry("parent_id", "00f067aa0ba902b7");
    }
    assertThat(records.get(2)).doesNotContainKeys("trace_id", "parent_id");
  }

  @Test
  void traceSource_throwing_isSkippedAndTheCallIsLogged() {
    logger(
        LlmLogger.builder("svc")
            .traceSource(
                () -> {
                  throw new IllegalStateException("tracer closed");
                }));

    logger.log(LlmLogEntry.builder().model("m").build());

    assertThat(records()).hasSize(1);
    assertThat(records().get(0)).doesNotContainKey("trace_id");
  }

  @Test
  void mdcKeys_configured_fillSessionAndUserFromTheMdc() {
    // SLF4J without a binding keeps no MDC: the test reads a map where a binding would read its
    // own.
    Map<String, String> mdc = Map.of("sessionId", "s-mdc", "userId", "u-mdc");
    LlmLogger.Builder builder = LlmLogger.builder("svc").mdcKeys("sessionId", "userId");
    builder.mdc = mdc::get;
    logger(builder);

    logger.log(LlmLogEntry.builder().model("m").build());
    try (var ctx = LlmLogContext.user("u-scope")) {
      logger.log(LlmLogEntry.builder().model("m").build());
    }

    assertThat(records().get(0))
        .containsEntry("session_id", "s-mdc")
        .containsEntry("user_id", "u-mdc");
    assertThat(records().get(1))
        .containsEntry("session_id", "s-mdc")
        .containsEntry("user_id", "u-scope");
  }
}
