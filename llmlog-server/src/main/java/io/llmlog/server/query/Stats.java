package io.llmlog.server.query;

import java.time.Instant;
import java.util.List;

/**
 * What {@code /api/v1/stats} computes for a selection of calls: the totals and each group, each
 * optionally per time bucket. Counts, error rates and sums are weighted by {@code sample_weight} (a
 * call stored with weight w stands for w calls; no weight means 1).
 *
 * @param from the resolved start of the window
 * @param to the resolved end
 * @param by the grouping field
 * @param interval the bucket width ({@code 5m}), or null without time buckets
 * @param weightsVary true when the selected calls carry different sample weights, so that
 *     percentiles came from {@link WeightedQuantiles} rather than straight from the engine
 * @param totals every selected call
 * @param totalBuckets the totals per time bucket
 * @param groups the largest groups, by weighted call count
 * @param otherCalls weighted calls in no listed group: smaller groups, or without the field
 * @param computed how the answer was computed: from durable rollups or from the calls in the index
 */
public record Stats(
    Instant from,
    Instant to,
    String by,
    String interval,
    boolean weightsVary,
    Metrics totals,
    List<Bucket> totalBuckets,
    List<Group> groups,
    double otherCalls,
    Computed computed) {

  /** Where an answer comes from. */
  public enum Computed {
    /** Durable per-unit rollups, with the calls of the window's ragged ends read from the index. */
    ROLLUPS("rollups"),
    /** Aggregations over the calls in the index. */
    INDEX("index");

    private final String text;

    Computed(String text) {
      this.text = text;
    }

    /** The name in the API's {@code computed} field. */
    public String text() {
      return text;
    }
  }

  public Stats {
    totalBuckets = List.copyOf(totalBuckets);
    groups = List.copyOf(groups);
  }

  /** One value of the grouping field. */
  public record Group(String key, Metrics metrics, List<Bucket> buckets) {
    public Group {
      buckets = List.copyOf(buckets);
    }
  }

  /** One time bucket, starting at {@code start}. */
  public record Bucket(Instant start, Metrics metrics) {}

  /**
   * The numbers of one set of calls; null where there is nothing to compute from (no calls, no
   * latencies).
   *
   * @param calls weighted call count
   * @param stored calls actually stored
   * @param errors weighted calls with {@code level: error}
   * @param errorRate errors / calls
   * @param latencyAvg weighted mean {@code latency_ms}
   * @param latencyP50 median {@code latency_ms}; percentiles are HDR with 3 significant digits
   * @param inputTokens weighted sum of {@code input_tokens}
   * @param costUsd weighted sum of {@code cost_usd}
   * @param tokensPerSecond weighted mean {@code tokens_per_second} of the calls that have it
   */
  public record Metrics(
      double calls,
      long stored,
      double errors,
      Double errorRate,
      Double latencyAvg,
      Double latencyP50,
      Double latencyP95,
      Double latencyP99,
      Double ttftP50,
      Double ttftP95,
      double inputTokens,
      double outputTokens,
      double costUsd,
      Double tokensPerSecond) {

    Metrics withPercentiles(
        Double latencyP50, Double latencyP95, Double latencyP99, Double ttftP50, Double ttftP95) {
      return new Metrics(
          calls,
          stored,
          errors,
          errorRate,
          latencyAvg,
          latencyP50,
          latencyP95,
          latencyP99,
          ttftP50,
          ttftP95,
          inputTokens,
          outputTokens,
          costUsd,
          tokensPerSecond);
    }
  }
}
