package io.llmlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;

/**
 * The stored documents of one trace, read through the Elasticsearch-compatible API as they become
 * searchable.
 */
public final class TraceHits {
  private TraceHits() {}

  /** The hits of {@code index} with {@code trace_id} {@code traceId} now, at most 50. */
  public static JsonNode hits(Http es, String index, String traceId) {
    return es.postJson(
            "/" + index + "/_search",
            "{\"size\": 50, \"query\": {\"term\": {\"trace_id\": \"" + traceId + "\"}}}")
        .json()
        .path("hits")
        .path("hits");
  }

  /**
   * The hits of {@code index} (such as {@code llm-spans-*}) with {@code trace_id} {@code traceId},
   * once there are {@code expected} of them; more than expected fails the test.
   *
   * @throws AssertionError naming what was found when 30 s pass first
   */
  public static JsonNode await(Http es, String index, String traceId, int expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode hits = null;
    while (System.nanoTime() < deadline) {
      hits = hits(es, index, traceId);
      if (hits.size() >= expected) {
        assertThat(hits.size()).isEqualTo(expected);
        return hits;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        expected + " documents of trace " + traceId + " expected in " + index + ", found " + hits);
  }
}
