package io.llmlog.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The brief's usage example, through the logger: {@code StructuredLogger("llm-inference")} and
 * {@code log_request(entry)} become {@code LlmLogger.create("llm-inference")} and {@code
 * log(entry)}.
 */
class LlmLoggerBriefExampleTest {
  /** What the brief's Python logger prints for its example (with an aware UTC timestamp). */
  static final String BRIEF_LINE =
      "{\"timestamp\": \"2026-11-28T08:30:15.123456Z\", \"service\": \"llm-inference\", "
          + "\"level\": \"info\", \"request_id\": \""
          + Entries.BRIEF_REQUEST_ID
          + "\", \"model\": \"gpt-4\", "
          + "\"metrics\": {\"input_tokens\": 15, \"output_tokens\": 256, \"latency_ms\": 2340.5, \"ttft_ms\": 180.2}, "
          + "\"config\": {\"temperature\": 0.7, \"max_tokens\": 2048}, "
          + "\"prompt\": \"解释机器学习的基本概念\", \"stop_reason\": \"stop\"}";

  @Test
  void log_briefExample_emitsTheBriefsLogRequestLine() {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (LlmLogger logger = LlmLogger.builder("llm-inference").lines(lines::add).build()) {
      logger.log(Entries.brief());
      assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
    }

    assertThat(lines).hasSize(1);
    String line = lines.get(0);
    Map<String, Object> record = JsonTree.object(line);
    // log_request's keys, in its order, nested as it nests them.
    assertThat(record)
        .containsOnlyKeys(
            "timestamp",
            "service",
            "level",
            "request_id",
            "model",
            "metrics",
            "config",
            "prompt",
            "stop_reason");
    assertThat(List.copyOf(record.keySet()))
        .containsExactly(
            "timestamp",
            "service",
            "level",
            "request_id",
            "model",
            "metrics",
            "config",
            "prompt",
            "stop_reason");
    assertThat(record.get("timestamp")).isEqualTo("2026-11-28T08:30:15.123456Z");
    assertThat(record.get("service")).isEqualTo("llm-inference");
    assertThat(record.get("level")).isEqualTo("info");
    assertThat(record.get("request_id")).isEqualTo(Entries.BRIEF_REQUEST_ID);
    assertThat(record.get("model")).isEqualTo("gpt-4");
    assertThat(record.get("metrics"))
        .isEqualTo(
            Map.of(
                "input_tokens",
                15L,
                "output_tokens",
                256L,
                "latency_ms",
                2340.5,
                "ttft_ms",
                180.2));
    assertThat(keys(record.get("metrics")))
        .containsExactly("input_tokens", "output_tokens", "latency_ms", "ttft_ms");
    assertThat(record.get("config")).isEqualTo(Map.of("temperature", 0.7, "max_tokens", 2048L));
    assertThat(keys(record.get("config"))).containsExactly("temperature", "max_tokens");
    assertThat(record.get("prompt")).isEqualTo("解释机器学习的基本概念");
    assertThat(record.get("stop_reason")).isEqualTo("stop");
    // Chinese unescaped (ensure_ascii=False), Python's separators: byte for byte the brief's line.
    assertThat(line).contains("解释机器学习的基本概念").doesNotContain("\\u");
    assertThat(line).isEqualTo(BRIEF_LINE);
  }

  @Test
  void create_noSlf4jBinding_writesTheLineToStdoutAsUtf8() {
    // The test class path has slf4j-api and no provider: SLF4J's NOP fallback, so stdout.
    assertThat(Slf4jSupport.bound()).isFalse();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(
        new PrintStream(captured, true, StandardCharsets.US_ASCII)); // a POSIX-locale console
    try (LlmLogger logger = LlmLogger.create("llm-inference")) {
      logger.log(Entries.brief());
      assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(logger.lineMetrics().delivered()).isEqualTo(1);
    } finally {
      System.setOut(original);
    }

    assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo(BRIEF_LINE + "\n");
  }

  @SuppressWarnings("unchecked")
  private static List<String> keys(Object object) {
    return List.copyOf(((Map<String, Object>) object).keySet());
  }
}
