package io.llmlog.core.testing;

import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogLevel;
import java.time.Instant;

/**
 * The brief's usage example ({@code logger.log_request(entry)} with model {@code gpt-4} and the
 * prompt {@code 解释机器学习的基本概念}), field for field: the one record every module's tests compare
 * against. Shipped in llmlog-core's test jar.
 */
public final class BriefExample {
  /** A fixed time, so that expected JSON can be written out. */
  public static final Instant TIMESTAMP = Instant.parse("2026-11-28T08:30:15.123456Z");

  public static final String REQUEST_ID = "6f1f0a4e-8c1b-4a52-9b8e-2a7f3c1d9e10";

  /**
   * The brief's "查找高延迟请求" query, byte for byte as the brief prints it (its indentation was lost).
   */
  public static final String KIBANA_QUERY =
      """
      {
      "query": {
      "bool": {
      "must": [
      {"range": {"latency_ms": {"gte": 5000}}},
      {"term": {"level": "info"}}
      ]
      }
      },
      "aggs": {
      "avg_latency_by_model": {
      "terms": {"field": "model"},
      "aggs": {
      "avg_latency": {"avg": {"field": "latency_ms"}}
      }
      }
      }
      }""";

  private BriefExample() {}

  /** The example with its fixed time and request id. */
  public static LlmLogEntry entry() {
    return entry(TIMESTAMP, REQUEST_ID);
  }

  /** The example at another time and with another request id, for tests that store several. */
  public static LlmLogEntry entry(Instant timestamp, String requestId) {
    return LlmLogEntry.builder()
        .timestamp(timestamp)
        .requestId(requestId)
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
}
