package io.llmlog.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.testing.BriefExample;
import org.junit.jupiter.api.Test;

/** The brief's usage example, checked against what its Python {@code StructuredLogger} prints. */
class BriefLoggerLineTest {
  /** The brief's {@code entry}, field for field. */
  static LlmLogEntry briefEntry() {
    return BriefExample.entry();
  }

  @Test
  void briefLine_briefExample_isWhatThePythonLoggerPrints() {
    String line = LlmLogJson.briefLine(briefEntry(), "llm-inference");

    // json.dumps(log_record, ensure_ascii=False) of the brief's log_request, with an aware UTC
    // timestamp.
    assertThat(line)
        .isEqualTo(
            "{\"timestamp\": \"2026-11-28T08:30:15.123456Z\", \"service\": \"llm-inference\", "
                + "\"level\": \"info\", \"request_id\": \"6f1f0a4e-8c1b-4a52-9b8e-2a7f3c1d9e10\", \"model\": \"gpt-4\", "
                + "\"metrics\": {\"input_tokens\": 15, \"output_tokens\": 256, \"latency_ms\": 2340.5, \"ttft_ms\": 180.2}, "
                + "\"config\": {\"temperature\": 0.7, \"max_tokens\": 2048}, "
                + "\"prompt\": \"解释机器学习的基本概念\", \"stop_reason\": \"stop\"}");
  }
}
