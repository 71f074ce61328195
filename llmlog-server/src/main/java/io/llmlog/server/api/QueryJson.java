package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.query.RollupStats;
import io.llmlog.server.query.SearchResult;
import io.llmlog.server.query.Stats;
import io.llmlog.server.query.StatsService;
import java.util.List;
import java.util.Map;

/**
 * The JSON of search results and stats, as {@code /api/v1/search} and {@code /api/v1/stats} answer.
 */
final class QueryJson {
  private QueryJson() {}

  /**
   * {@code {"total", "total_relation", "took_ms", "hits": [{"index", "request_id", "document",
   * "highlight", "quality"}], "next"}}, and {@code "histogram": [{"time", "calls"}]} when one was
   * asked for.
   */
  static ObjectNode search(ObjectMapper json, SearchResult result) {
    ObjectNode body = json.createObjectNode();
    body.put("total", result.total());
    body.put("total_relation", result.totalIsExact() ? "eq" : "gte");
    body.put("took_ms", result.tookMillis());
    ArrayNode hits = body.putArray("hits");
    for (SearchResult.Hit hit : result.hits()) {
      ObjectNode node = hits.addObject();
      node.put("index", hit.index());
      node.put("request_id", hit.requestId());
      node.set("document", hit.document());
      ObjectNode highlight = node.putObject("highlight");
      for (Map.Entry<String, List<String>> field : hit.highlight().entrySet()) {
        ArrayNode fragments = highlight.putArray(field.getKey());
        field.getValue().forEach(fragments::add);
      }
      node.putArray("quality").addAll(hit.quality());
    }
    if (result.next() == null) {
      body.putNull("next");
    } else {
      body.put("next", result.next());
    }
    if (result.histogram() != null) {
      ArrayNode histogram = body.putArray("histogram");
      result
          .histogram()
          .forEach(
              bucket ->
                  histogram
                      .addObject()
                      .put("time", bucket.start().toString())
                      .put("calls", bucket.calls()));
    }
    return body;
  }

  /**
   * {@code {"from", "to", "by", "interval", "percentiles": {...}, "totals": {metrics, "buckets"},
   * "groups": [{"key", metrics, "buckets"}], "other_calls", "computed"}}.
   */
  static ObjectNode stats(ObjectMapper json, Stats stats) {
    ObjectNode body = json.createObjectNode();
    body.put("from", stats.from().toString());
    body.put("to", stats.to().toString());
    body.put("by", stats.by());
    if (stats.interval() == null) {
      body.putNull("interval");
    } else {
      body.put("interval", stats.interval());
    }
    ObjectNode percentiles = body.putObject("percentiles");
    if (stats.computed() == Stats.Computed.ROLLUPS) {
      // The rollups' fixed buckets (Bins), reported at their middle.
      percentiles.put("method", "buckets");
      percentiles.put("max_relative_error_pct", RollupStats.MAX_RELATIVE_ERROR_PCT);
    } else {
      percentiles.put("method", "hdr");
      percentiles.put("significant_digits", StatsService.HDR_DIGITS);
    }
    percentiles.put("weighted", stats.weightsVary());
    // Rollups weight the sketches exactly; the index combines each weight class's percentiles.
    if (stats.weightsVary() && stats.computed() == Stats.Computed.INDEX) {
      percentiles.put("max_rank_error_pct", StatsService.MAX_RANK_ERROR);
    }
    ObjectNode totals = body.putObject("totals");
    metrics(totals, stats.totals());
    buckets(totals, stats.totalBuckets(), stats.interval() != null);
    ArrayNode groups = body.putArray("groups");
    for (Stats.Group group : stats.groups()) {
      ObjectNode node = groups.addObject();
      node.put("key", group.key());
      metrics(node, group.metrics());
      buckets(node, group.buckets(), stats.interval() != null);
    }
    number(body, "other_calls", stats.otherCalls());
    body.put("computed", stats.computed().text());
    return body;
  }

  private static void buckets(ObjectNode parent, List<Stats.Bucket> buckets, boolean wanted) {
    if (!wanted) {
      return;
    }
    ArrayNode array = parent.putArray("buckets");
    for (Stats.Bucket bucket : buckets) {
      ObjectNode node = array.addObject();
      node.put("start", bucket.start().toString());
      metrics(node, bucket.metrics());
    }
  }

  private static void metrics(ObjectNode node, Stats.Metrics m) {
    number(node, "calls", m.calls());
    node.put("stored", m.stored());
    number(node, "errors", m.errors());
    number(node, "error_rate", m.errorRate());
    ObjectNode latency = node.putObject("latency_ms");
    number(latency, "avg", m.latencyAvg());
    number(latency, "p50", m.latencyP50());
    number(latency, "p95", m.latencyP95());
    number(latency, "p99", m.latencyP99());
    ObjectNode ttft = node.putObject("ttft_ms");
    number(ttft, "p50", m.ttftP50());
    number(ttft, "p95", m.ttftP95());
    number(node, "input_tokens", m.inputTokens());
    number(node, "output_tokens", m.outputTokens());
    number(node, "cost_usd", m.costUsd());
    number(node, "tokens_per_second", m.tokensPerSecond());
  }

  /**
   * Whole numbers (counts, token sums) as integers: a weighted sum computed as average × count is
   * off by rounding in the last digits, and {@code 1234.0000000002} calls helps nobody.
   */
  private static void number(ObjectNode node, String name, Double value) {
    if (value == null) {
      node.putNull(name);
      return;
    }
    double rounded = Math.rint(value);
    if (Math.abs(value - rounded) <= 1e-9 * Math.max(1, Math.abs(value))
        && Math.abs(rounded) < 1e15) {
      node.put(name, (long) rounded);
    } else {
      node.put(name, value);
    }
  }
}
