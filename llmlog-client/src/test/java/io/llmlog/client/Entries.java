package io.llmlog.client;

import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogLevel;
import java.time.Instant;

/** Records for tests. */
final class Entries {
  static final Instant NOW = Instant.parse("2026-11-28T08:30:15.123456Z");
  static final String BRIEF_REQUEST_ID = "6f1f0a4e-8c1b-4a52-9b8e-2a7f3c1d9e10";

  private Entries() {}

  /** The brief's usage example, field for field. */
  static LlmLogEntry brief() {
    return LlmLogEntry.builder()
        .timestamp(NOW)
        .requestId(BRIEF_REQUEST_ID)
        .userId("user_123")
        .model("gpt-4")
        .prompt("解释机器学习的基本概念")
        .response("机器学习是人工智能的一个子领域...")
        .systemPrompt("你是一个AI助手")
        .temperature(0.7)
        .maxTokens(2048)
        .inputTokens(15)
        .outputTokens(256)
        .latencyMs(2340.5)
        .firstTokenLatencyMs(180.2)
        .stopReason("stop")
        .level(LogLevel.INFO)
        .build();
  }

  /** A small record numbered {@code n}, its prompt {@code promptChars} long. */
  static LlmLogEntry numbered(int n, int promptChars) {
    return LlmLogEntry.builder()
        .timestamp(NOW)
        .requestId("req-" + n)
        .model("gpt-4")
        .prompt("p".repeat(promptChars))
        .inputTokens(10)
        .outputTokens(20)
        .latencyMs(100.0)
        .build();
  }
}
