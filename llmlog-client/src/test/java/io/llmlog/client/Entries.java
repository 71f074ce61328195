package io.llmlog.client;

import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.testing.BriefExample;
import java.time.Instant;

/** Records for tests. */
final class Entries {
  static final Instant NOW = Instant.parse("2026-11-28T08:30:15.123456Z");
  static final String BRIEF_REQUEST_ID = "6f1f0a4e-8c1b-4a52-9b8e-2a7f3c1d9e10";

  private Entries() {}

  /** The brief's usage example, field for field. */
  static LlmLogEntry brief() {
    return BriefExample.entry(NOW, BRIEF_REQUEST_ID);
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
