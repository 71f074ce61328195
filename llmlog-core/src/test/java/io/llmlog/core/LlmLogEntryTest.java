package io.llmlog.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LlmLogEntryTest {
  private static LlmLogEntry.Builder valid() {
    return LlmLogEntry.builder().timestamp(Instant.EPOCH).requestId("r-1").model("gpt-4");
  }

  @Test
  void build_missingRequestIdWithoutDefaults_namesTheField() {
    assertField(() -> valid().noDefaults().requestId(null).build(), "request_id", "is required");
    assertField(() -> valid().requestId("  ").build(), "request_id", "is required");
  }

  @Test
  void build_missingModelOrTimestampWithoutDefaults_namesTheField() {
    assertField(() -> valid().model("").build(), "model", "is required");
    assertField(() -> valid().noDefaults().timestamp(null).build(), "timestamp", "is required");
  }

  @Test
  void build_noTimestampNorRequestId_defaultsThemAsLlmCallDoes() {
    Instant before = Instant.now();
    LlmLogEntry first = LlmLogEntry.builder().model("gpt-4").build();
    LlmLogEntry second = LlmLogEntry.builder().model("gpt-4").build();

    assertThat(first.timestamp()).isBetween(before, Instant.now());
    assertThat(first.requestId())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(second.requestId()).isNotEqualTo(first.requestId());
  }

  @Test
  void builder_primitiveLongsAndInts_areAccepted() {
    long started = 1_000L;
    long ended = 3_340L;
    long inputTokens = 15L;
    int outputTokens = 256;
    LlmLogEntry entry =
        valid()
            .latencyMs(ended - started)
            .firstTokenLatencyMs(180L)
            .queueWaitMs(5L)
            .inputTokens(inputTokens)
            .outputTokens(outputTokens)
            .maxTokens(2048)
            .temperature(1)
            .topP(0.9f)
            .cachedInputTokens(3L)
            .reasoningTokens(4)
            .cacheCreationInputTokens(2L)
            .build();

    assertThat(entry.performance().latencyMs()).isEqualTo(2340.0);
    assertThat(entry.performance().ttftMs()).isEqualTo(180.0);
    assertThat(entry.usage().inputTokens()).isEqualTo(15);
    assertThat(entry.usage().outputTokens()).isEqualTo(256);
    assertThat(entry.parameters().maxTokens()).isEqualTo(2048);
    assertThat(entry.parameters().temperature()).isEqualTo(1.0);
    assertThat(entry.usage().cacheCreationInputTokens()).isEqualTo(2);
  }

  @Test
  void builder_tokenCountBeyondInt_namesTheField() {
    assertField(
        () -> valid().outputTokens(3_000_000_000L),
        "output_tokens",
        "must be between 0 and 2147483647, was 3000000000");
  }

  @Test
  void build_negativeTokens_namesTheField() {
    assertField(() -> valid().inputTokens(-1).build(), "input_tokens", "must be >= 0, was -1");
    assertField(
        () -> valid().reasoningTokens(-5).build(), "reasoning_tokens", "must be >= 0, was -5");
  }

  @Test
  void build_nanOrInfiniteLatency_namesTheField() {
    assertField(
        () -> valid().latencyMs(Double.NaN).build(),
        "latency_ms",
        "must be a finite number, was NaN");
    assertField(
        () -> valid().firstTokenLatencyMs(Double.POSITIVE_INFINITY).build(),
        "ttft_ms",
        "must be a finite number, was Infinity");
    assertField(() -> valid().latencyMs(-0.5).build(), "latency_ms", "must be >= 0, was -0.5");
  }

  @Test
  void build_temperatureOutOfRange_namesTheField() {
    assertField(
        () -> valid().temperature(2.5).build(), "temperature", "must be between 0 and 2, was 2.5");
    assertField(() -> valid().topP(1.01).build(), "top_p", "must be between 0 and 1, was 1.01");
  }

  @Test
  void build_errorWithoutLevel_isAnErrorLevel() {
    LlmLogEntry entry =
        valid().error(ErrorInfo.of(new IllegalStateException("rate limited"))).build();

    assertThat(entry.level()).isEqualTo(LogLevel.ERROR);
    assertThat(entry.error().type()).isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void build_nullMetadataValue_namesTheKey() {
    assertField(
        () -> valid().putMetadata("tenant", null).build(), "metadata.tenant", "must not be null");
  }

  @Test
  void groups_notReported_areEmptyNotNull() {
    LlmLogEntry entry = valid().build();

    assertThat(entry.usage()).isEqualTo(TokenUsage.NONE);
    assertThat(entry.performance()).isEqualTo(Performance.NONE);
    assertThat(entry.parameters()).isEqualTo(ModelParameters.NONE);
    assertThat(entry.usage().totalTokens()).isNull();
  }

  @Test
  void derive_streamedCall_generationAndRate() {
    Performance derived = new Performance(2340.5, 180.5, 20.0, null, null).derive(256);

    assertThat(derived.generationMs()).isEqualTo(2160.0);
    assertThat(derived.tokensPerSecond())
        .isCloseTo(256 * 1000.0 / 2160.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void parseLevel_loggerSpellings_accepted() {
    assertThat(LogLevel.parse("WARN")).isEqualTo(LogLevel.WARNING);
    assertThat(LogLevel.parse("Error")).isEqualTo(LogLevel.ERROR);
    assertField(
        () -> LogLevel.parse("fatal"), "level", "must be info, warning or error, was \"fatal\"");
  }

  private static void assertField(Runnable action, String field, String reason) {
    assertThatThrownBy(action::run)
        .isInstanceOfSatisfying(
            InvalidFieldException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.reason()).isEqualTo(reason);
            });
  }
}
