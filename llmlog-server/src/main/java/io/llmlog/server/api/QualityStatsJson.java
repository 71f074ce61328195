package io.llmlog.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.query.QualityStats;
import io.llmlog.server.store.ScoreAggregations;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes the quality statistics into a stats answer: a {@code quality} object beside the call
 * metrics of the totals, of each group and of each time bucket, matched by group key and bucket
 * start.
 */
final class QualityStatsJson {
  private QualityStatsJson() {}

  static void attach(ObjectMapper json, ObjectNode stats, QualityStats.Result result) {
    ObjectNode meta = stats.putObject("quality");
    result.scores().forEach(meta.putArray("scores")::add);
    if (result.note() != null) {
      meta.put("note", result.note());
    }
    ScoreAggregations.Result aggregation = result.aggregation();
    block(json, (ObjectNode) stats.path("totals"), aggregation.totals());
    Map<String, ScoreAggregations.Block> groups = new HashMap<>();
    aggregation.groups().forEach(group -> groups.put(group.key().get(0), group.block()));
    for (JsonNode group : stats.path("groups")) {
      ScoreAggregations.Block block = groups.get(group.path("key").asText());
      block(
          json,
          (ObjectNode) group,
          block == null
              ? new ScoreAggregations.Block(0, Map.of(), 0, 0, java.util.List.of())
              : block);
    }
  }

  private static void block(ObjectMapper json, ObjectNode target, ScoreAggregations.Block block) {
    target.set("quality", metrics(json, block));
    Map<Instant, ScoreAggregations.Block> byStart = new HashMap<>();
    block.buckets().forEach(bucket -> byStart.put(bucket.start(), bucket.block()));
    for (JsonNode bucket : target.path("buckets")) {
      ScoreAggregations.Block inBucket = byStart.get(Instant.parse(bucket.path("start").asText()));
      if (inBucket != null) {
        ((ObjectNode) bucket).set("quality", metrics(json, inBucket));
      }
    }
  }

  private static ObjectNode metrics(ObjectMapper json, ScoreAggregations.Block block) {
    ObjectNode node = json.createObjectNode();
    node.put("records", block.records());
    ObjectNode scores = node.putObject("scores");
    block
        .scores()
        .forEach(
            (name, stats) -> {
              ObjectNode score = scores.putObject(name);
              score.put("count", stats.count());
              number(score, "avg", stats.avg());
              number(score, "p50", stats.percentiles().getOrDefault(50.0, Double.NaN));
              number(score, "p90", stats.percentiles().getOrDefault(90.0, Double.NaN));
              number(score, "min", stats.min());
              number(score, "max", stats.max());
            });
    ObjectNode feedback = node.putObject("feedback");
    feedback.put("rated", block.feedback());
    feedback.put("negative", block.negative());
    number(
        feedback,
        "negative_share",
        block.feedback() == 0 ? Double.NaN : block.negative() / (double) block.feedback());
    return node;
  }

  private static void number(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
  }
}
