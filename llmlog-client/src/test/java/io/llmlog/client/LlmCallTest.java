package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LlmCallTest {
  final AtomicLong nanos = new AtomicLong(5_000_000_000L);
  final FakeSender shipped = new FakeSender();
  final LlmLogger logger;

  LlmCallTest() {
    LlmLogger.Builder builder =
        LlmLogger.builder("svc")
            .noLines()
            .clock(Clock.fixed(Entries.NOW, ZoneOffset.UTC))
            .nanoTime(nanos::get);
    builder.sender = shipped;
    logger = builder.build();
  }

  @AfterEach
  void close() {
    logger.close();
  }

  void advanceMillis(double millis) {
    nanos.addAndGet((long) (millis * 1_000_000));
  }

  Map<String, Object> shippedRecord() {
    assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
    List<String> records = shipped.records();
    assertThat(records).hasSize(1);
    return JsonTree.object(records.get(0));
  }

  @Test
  void end_streamedCall_fillsLatencyTtftGenerationAndTokensPerSecond() {
    LlmCall call =
        logger
            .startCall("gpt-4", "解释机器学习的基本概念")
            .systemPrompt("你是一个AI助手")
            .temperature(0.7)
            .maxTokens(2048)
            .userId("user_123")
            .sessionId("s-1")
            .traceId("t-1")
            .putMetadata("feature", "chat");
    advanceMillis(180.2);
    call.firstToken();
    advanceMillis(100);
    call.firstToken(); // a later chunk: the first mark stands
    advanceMillis(2060.3);
    call.end("机器学习是人工智能的一个子领域...", 15, 256, "stop");

    Map<String, Object> record = shippedRecord();
    assertThat(record)
        .containsEntry("timestamp", "2026-11-28T08:30:15.123456Z")
        .containsEntry("model", "gpt-4")
        .containsEntry("user_id", "user_123")
        .containsEntry("session_id", "s-1")
        .containsEntry("trace_id", "t-1")
        .containsEntry("level", "info")
        .containsEntry("stop_reason", "stop")
        .containsEntry("temperature", 0.7)
        .containsEntry("max_tokens", 2048L)
        .containsEntry("input_tokens", 15L)
        .containsEntry("output_tokens", 256L)
        .containsEntry("metadata", Map.of("feature", "chat"));
    assertThat((Double) record.get("latency_ms")).isCloseTo(2340.5, within(1e-6));
    assertThat((Double) record.get("ttft_ms")).isCloseTo(180.2, within(1e-6));
    assertThat((Double) record.get("generation_ms")).isCloseTo(2160.3, within(1e-6));
    assertThat((Double) record.get("tokens_per_second"))
        .isCloseTo(256 * 1000 / 2160.3, within(1e-6));
    assertThat(UUID.fromString((String) record.get("request_id")).version()).isEqualTo(4);
  }

  @Test
  void end_notStreamed_generationIsTheWholeLatency() {
    LlmCall call = logger.startCall("gpt-4", "hi");
    advanceMillis(500);
    call.end("hello", 1, 50, "stop");

    Map<String, Object> record = shippedRecord();
    assertThat(record)
        .doesNotContainKey("ttft_ms")
        .containsEntry("latency_ms", 500.0)
        .containsEntry("generation_ms", 500.0)
        .containsEntry("tokens_per_second", 100.0);
  }

  @Test
  void fail_exception_logsErrorLevelAndTheError() {
    LlmCall call = logger.startCall("gpt-4", "hi").requestId("req-9");
    advanceMillis(30);
    call.fail(new java.net.SocketTimeoutException("read timed out"));

    Map<String, Object> record = shippedRecord();
    assertThat(record)
        .containsEntry("request_id", "req-9")
        .containsEntry("level", "error")
        .containsEntry("latency_ms", 30.0)
        .containsEntry(
            "error",
            Map.of("type", "java.net.SocketTimeoutException", "message", "read timed out"));
  }

  @Test
  void end_twice_logsOnceAndCountsTheSecond() {
    LlmCall call = logger.startCall("gpt-4", "hi");
    call.end("a", 1, 1, "stop");
    call.end("b", 1, 1, "stop");
    call.fail(new RuntimeException("late"));

    assertThat(shippedRecord()).containsEntry("response", "a");
    assertThat(logger.callsEndedTwice()).isEqualTo(2);
  }

  @Test
  void requestId_generated_isStableAndAVersion4Uuid() {
    LlmCall call = logger.startCall("gpt-4", "hi");

    String id = call.requestId();

    assertThat(call.requestId()).isEqualTo(id);
    UUID uuid = UUID.fromString(id);
    assertThat(uuid.version()).isEqualTo(4);
    assertThat(uuid.variant()).isEqualTo(2);
  }

  @Test
  void end_invalidValue_dropsInvalidWithoutThrowing() {
    LlmCall call = logger.startCall("gpt-4", "hi").temperature(3.0);

    call.end("a", -1, 1, "stop");

    assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(shipped.records()).isEmpty();
    assertThat(logger.shippingMetrics().dropped(DropReason.INVALID)).isEqualTo(1);
    assertThat(logger.shippingMetrics().logged()).isEqualTo(1);
  }

  @Test
  void startCall_missingModel_dropsInvalidAtTheEnd() {
    logger.startCall(null, "hi").end("a", 1, 1, "stop");

    assertThat(logger.shippingMetrics().dropped(DropReason.INVALID)).isEqualTo(1);
    assertThat(TimeUnit.NANOSECONDS.toMillis(nanos.get()))
        .isEqualTo(5000); // the clock never moved by itself
  }
}
