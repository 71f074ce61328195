package io.llmlog.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The layout of the stats aggregations, written and read by the same code for both searches: the
 * block of metrics for all calls, a {@code time} histogram of blocks, and {@code groups} (terms on
 * the grouping field), each a block with its own histogram.
 */
record StatsShape(String by, int groups, Interval interval, TimeRange range) {

  /** The blocks read back from one search. */
  record Block(Stats.Metrics metrics, List<Stats.Bucket> buckets, List<Stats.Group> groups) {
    List<String> groupKeys() {
      return groups.stream().map(Stats.Group::key).toList();
    }

    /** This block with the percentiles of {@code other}, matched by group key and bucket start. */
    Block withPercentiles(Block other) {
      Map<String, Stats.Group> otherGroups = new HashMap<>();
      other.groups().forEach(g -> otherGroups.put(g.key(), g));
      List<Stats.Group> merged = new ArrayList<>();
      for (Stats.Group group : groups) {
        Stats.Group source = otherGroups.get(group.key());
        merged.add(
            source == null
                ? group
                : new Stats.Group(
                    group.key(),
                    percentiles(group.metrics(), source.metrics()),
                    buckets(group.buckets(), source.buckets())));
      }
      return new Block(
          percentiles(metrics, other.metrics()), buckets(buckets, other.buckets()), merged);
    }

    private static List<Stats.Bucket> buckets(List<Stats.Bucket> into, List<Stats.Bucket> from) {
      Map<Instant, Stats.Bucket> byStart = new HashMap<>();
      from.forEach(b -> byStart.put(b.start(), b));
      List<Stats.Bucket> merged = new ArrayList<>(into.size());
      for (Stats.Bucket bucket : into) {
        Stats.Bucket source = byStart.get(bucket.start());
        merged.add(
            source == null
                ? bucket
                : new Stats.Bucket(
                    bucket.start(), percentiles(bucket.metrics(), source.metrics())));
      }
      return merged;
    }

    private static Stats.Metrics percentiles(Stats.Metrics into, Stats.Metrics from) {
      return into.withPercentiles(
          from.latencyP50(), from.latencyP95(), from.latencyP99(), from.ttftP50(), from.ttftP95());
    }
  }

  /**
   * Writes the layout with {@code block} filling each block's aggregations.
   *
   * @param onlyKeys the groups to compute (from an earlier search), or null for the largest {@link
   *     #groups}
   */
  void write(ObjectNode aggs, Consumer<ObjectNode> block, List<String> onlyKeys) {
    block.accept(aggs);
    if (interval != null) {
      histogram(aggs.putObject("time"), block);
    }
    if (onlyKeys != null && onlyKeys.isEmpty()) {
      return;
    }
    ObjectNode terms = aggs.putObject("groups");
    ObjectNode definition = terms.putObject("terms").put("field", by);
    if (onlyKeys == null) {
      definition.put("size", groups);
      ArrayNode order = definition.putArray("order");
      order.addObject().put("calls", "desc");
      order.addObject().put("_key", "asc");
    } else {
      definition.put("size", onlyKeys.size());
      ArrayNode include = definition.putArray("include");
      onlyKeys.forEach(include::add);
    }
    ObjectNode inner = terms.putObject("aggs");
    block.accept(inner);
    if (interval != null) {
      histogram(inner.putObject("time"), block);
    }
  }

  /** Every bucket of the window, empty ones too, so that a chart has no gaps. */
  private void histogram(ObjectNode agg, Consumer<ObjectNode> block) {
    interval.writeHistogram(agg, range);
    block.accept(agg.putObject("aggs"));
  }

  /** Reads what {@link #write} asked for; {@code stored} is the root's document count. */
  Block read(JsonNode aggs, long stored, BiFunction<JsonNode, Long, Stats.Metrics> block) {
    List<Stats.Group> groupList = new ArrayList<>();
    for (JsonNode bucket : aggs.path("groups").path("buckets")) {
      groupList.add(
          new Stats.Group(
              bucket.path("key").asText(),
              block.apply(bucket, bucket.path("doc_count").asLong()),
              series(bucket, block)));
    }
    return new Block(block.apply(aggs, stored), series(aggs, block), groupList);
  }

  private List<Stats.Bucket> series(
      JsonNode aggs, BiFunction<JsonNode, Long, Stats.Metrics> block) {
    List<Stats.Bucket> buckets = new ArrayList<>();
    for (JsonNode bucket : aggs.path("time").path("buckets")) {
      buckets.add(
          new Stats.Bucket(
              Instant.ofEpochMilli(bucket.path("key").asLong()),
              block.apply(bucket, bucket.path("doc_count").asLong())));
    }
    return buckets;
  }
}
