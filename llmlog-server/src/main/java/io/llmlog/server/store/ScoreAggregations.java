package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregations over quality records: per block of records (all, one group, one time bucket) the
 * statistics of each score and how much of the feedback is negative. The score alert rules and the
 * quality part of {@code /api/v1/stats} read them.
 */
public final class ScoreAggregations {
  private final Searches searches;
  private final ObjectMapper json;

  ScoreAggregations(Searches searches, ObjectMapper json) {
    this.searches = searches;
    this.json = json;
  }

  /**
   * What to aggregate.
   *
   * @param filter the query DSL the records must match, or null for all
   * @param from the earliest record time (inclusive)
   * @param to the latest record time (inclusive)
   * @param groupBy keyword fields that split the records into groups (none, one or a few)
   * @param onlyKeys with one group field: the groups to compute (null: the largest {@code size})
   * @param size how many groups at most
   * @param interval a fixed time bucket width such as {@code 5m}, or null for no buckets
   * @param scores the score names to summarise
   * @param percents the percentiles of each score
   * @param negative the query DSL of negative feedback, or null to leave feedback out
   */
  public record Request(
      ObjectNode filter,
      Instant from,
      Instant to,
      List<String> groupBy,
      List<String> onlyKeys,
      int size,
      String interval,
      Collection<String> scores,
      double[] percents,
      ObjectNode negative) {}

  /** One score over a block: how many records had it, their sum, extremes and percentiles. */
  public record ScoreStats(
      long count, double sum, double min, double max, Map<Double, Double> percentiles) {
    public double avg() {
      return count == 0 ? Double.NaN : sum / count;
    }
  }

  /** A block of records: their number, each score's statistics, feedback and negative feedback. */
  public record Block(
      long records,
      Map<String, ScoreStats> scores,
      long feedback,
      long negative,
      List<Bucket> buckets) {}

  public record Bucket(Instant start, Block block) {}

  /** One group, keyed by its values of the group fields in order. */
  public record Group(List<String> key, Block block) {}

  public record Result(Block totals, List<Group> groups) {}

  /**
   * Runs one search.
   *
   * @throws SearchFailedException or {@link EngineUnavailableException} when the engine cannot
   *     answer
   */
  public Result aggregate(Request request) {
    ObjectNode body = json.createObjectNode();
    ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
    if (request.filter() != null) {
      filter.add(request.filter());
    }
    filter
        .addObject()
        .putObject("range")
        .putObject("timestamp")
        .put("gte", Timestamps.format(request.from()))
        .put("lte", Timestamps.format(request.to()));
    body.put("size", 0);
    body.put("track_total_hits", true);
    ObjectNode aggs = body.putObject("aggs");
    block(aggs, request);
    // No groups asked for (the call statistics found none): nothing to split by.
    boolean noKeys = request.onlyKeys() != null && request.onlyKeys().isEmpty();
    if (!request.groupBy().isEmpty() && !noKeys) {
      ObjectNode groups = aggs.putObject("groups");
      if (request.groupBy().size() == 1) {
        ObjectNode terms = groups.putObject("terms").put("field", request.groupBy().get(0));
        if (request.onlyKeys() != null) {
          ArrayNode include = terms.putArray("include");
          request.onlyKeys().forEach(include::add);
          terms.put("size", Math.max(1, request.onlyKeys().size()));
        } else {
          terms.put("size", request.size());
        }
      } else {
        ObjectNode terms = groups.putObject("multi_terms").put("size", request.size());
        ArrayNode fields = terms.putArray("terms");
        request.groupBy().forEach(field -> fields.addObject().put("field", field));
      }
      block(groups.putObject("aggs"), request);
    }
    SearchAnswer answer = searches.search(IndexFamily.QUALITY, body);
    JsonNode root = answer.aggregations();
    List<Group> groups = new ArrayList<>();
    for (JsonNode bucket : root.path("groups").path("buckets")) {
      List<String> key = new ArrayList<>();
      if (bucket.path("key").isArray()) {
        bucket.path("key").forEach(part -> key.add(part.asText()));
      } else {
        key.add(bucket.path("key").asText());
      }
      groups.add(new Group(key, read(bucket, bucket.path("doc_count").asLong(), request)));
    }
    return new Result(read(root, answer.total(), request), groups);
  }

  private void block(ObjectNode aggs, Request request) {
    metrics(aggs, request);
    if (request.interval() != null) {
      ObjectNode time = aggs.putObject("time");
      ObjectNode histogram = time.putObject("date_histogram");
      histogram.put("field", "timestamp");
      histogram.put("fixed_interval", request.interval());
      histogram.put("min_doc_count", 0);
      histogram
          .putObject("extended_bounds")
          .put("min", request.from().toEpochMilli())
          .put("max", request.to().toEpochMilli());
      metrics(time.putObject("aggs"), request);
    }
  }

  private void metrics(ObjectNode aggs, Request request) {
    int i = 0;
    for (String score : request.scores()) {
      String field = "scores." + score;
      aggs.putObject("s" + i).putObject("stats").put("field", field);
      if (request.percents().length > 0) {
        ObjectNode percentiles =
            aggs.putObject("p" + i)
                .putObject("percentiles")
                .put("field", field)
                .put("keyed", false);
        ArrayNode list = percentiles.putArray("percents");
        for (double p : request.percents()) {
          list.add(p);
        }
      }
      i++;
    }
    if (request.negative() != null) {
      aggs.putObject("feedback").putObject("filter").putObject("exists").put("field", "rating");
      aggs.putObject("negative").set("filter", request.negative());
    }
  }

  private Block read(JsonNode aggs, long records, Request request) {
    Map<String, ScoreStats> scores = new LinkedHashMap<>();
    int i = 0;
    for (String score : request.scores()) {
      JsonNode stats = aggs.path("s" + i);
      Map<Double, Double> percentiles = new LinkedHashMap<>();
      for (JsonNode entry : aggs.path("p" + i).path("values")) {
        if (entry.path("value").isNumber()) {
          percentiles.put(entry.path("key").asDouble(), entry.path("value").asDouble());
        }
      }
      long count = stats.path("count").asLong();
      scores.put(
          score,
          new ScoreStats(
              count,
              count == 0 ? 0 : stats.path("sum").asDouble(),
              count == 0 ? Double.NaN : stats.path("min").asDouble(),
              count == 0 ? Double.NaN : stats.path("max").asDouble(),
              percentiles));
      i++;
    }
    List<Bucket> buckets = new ArrayList<>();
    for (JsonNode bucket : aggs.path("time").path("buckets")) {
      buckets.add(
          new Bucket(
              Instant.ofEpochMilli(bucket.path("key").asLong()),
              read(bucket, bucket.path("doc_count").asLong(), request)));
    }
    return new Block(
        records,
        scores,
        aggs.path("feedback").path("doc_count").asLong(),
        aggs.path("negative").path("doc_count").asLong(),
        buckets);
  }
}
