package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The searches behind the listings of traces, sessions and users: documents grouped by a keyword
 * field ({@code trace_id}, {@code session_id}, {@code user_id}). None of them aggregates over every
 * group of a time window; each reads a bounded batch of documents or the documents of a few named
 * groups, so a listing costs the same at a thousand calls as at a million.
 */
public final class GroupSearches {
  static final String TIMESTAMP = "timestamp";
  private static final String LEVEL = "level";

  private final LogStore store;
  private final ObjectMapper json;

  GroupSearches(LogStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /** A document's place in a stream ordered by time, then by its group's key. */
  public record Position(long millis, String key) {}

  /** A batch of the stream, and whether the stream ended with it. */
  public record Batch(List<Position> positions, boolean last) {
    public Batch {
      positions = List.copyOf(positions);
    }
  }

  /**
   * The next documents matching {@code filter}, as positions only (time and key, read from the sort
   * values: no document is fetched), newest first when {@code descending}.
   *
   * @param after where the previous batch ended, or null to start
   * @throws SearchFailedException when the engine refuses the search
   */
  public Batch scan(
      Scope scope,
      ObjectNode filter,
      String keyField,
      boolean descending,
      Position after,
      int size) {
    ObjectNode body = json.createObjectNode();
    body.set("query", both(filter, exists(keyField)));
    ArrayNode sort = body.putArray("sort");
    sort.addObject().putObject(TIMESTAMP).put("order", descending ? "desc" : "asc");
    sort.addObject().putObject(keyField).put("order", "asc");
    body.put("size", size);
    // Positions come from the sort values: no stored field is read (not even _id, which sits in
    // the sources' compressed blocks).
    body.put("stored_fields", "_none_");
    body.put("track_total_hits", false);
    if (after != null) {
      body.putArray("search_after").add(after.millis()).add(after.key());
    }
    List<Position> positions = new ArrayList<>(size);
    for (JsonNode hit : search(scope, body).path("hits").path("hits")) {
      JsonNode values = hit.path("sort");
      positions.add(new Position(values.path(0).asLong(), values.path(1).asText()));
    }
    return new Batch(positions, positions.size() < size);
  }

  /** When a group's documents that match a filter begin and end, and how many there are. */
  public record Extent(long first, long last, long documents) {}

  /**
   * For each named group that has documents matching {@code filter}: their first and last time.
   *
   * @throws SearchFailedException when the engine refuses the search
   */
  public Map<String, Extent> extents(
      Scope scope, ObjectNode filter, String keyField, Collection<String> keys) {
    if (keys.isEmpty()) {
      return Map.of();
    }
    ObjectNode body = groups(filter, keyField, keys);
    ObjectNode aggs = (ObjectNode) body.path("aggs").path("groups").path("aggs");
    aggs.putObject("first").putObject("min").put("field", TIMESTAMP);
    aggs.putObject("last").putObject("max").put("field", TIMESTAMP);
    Map<String, Extent> extents = new LinkedHashMap<>();
    for (JsonNode bucket :
        search(scope, body).path("aggregations").path("groups").path("buckets")) {
      extents.put(
          bucket.path("key").asText(),
          new Extent(
              bucket.path("first").path("value").asLong(),
              bucket.path("last").path("value").asLong(),
              bucket.path("doc_count").asLong()));
    }
    return extents;
  }

  /**
   * A value of a field among a group's documents: how many have it, and when the last one was
   * written.
   */
  public record Count(String value, long documents, Instant last) {}

  /**
   * What the documents of one group add up to.
   *
   * @param errors documents with {@code level: error}
   * @param top for each field asked for, its most recent values
   * @param distinct for each field asked for, how many values it has (exact up to 3,000, within a
   *     few percent beyond)
   */
  public record Totals(
      String key,
      long documents,
      long errors,
      long inputTokens,
      long outputTokens,
      long totalTokens,
      double costUsd,
      Instant first,
      Instant last,
      Map<String, List<Count>> top,
      Map<String, Long> distinct) {}

  /**
   * Sums per named group over the documents matching {@code filter} (null: all of the group's).
   *
   * @param topFields fields whose most recently seen values each group lists, at most {@code
   *     topSize}
   * @param distinctFields fields whose values each group counts
   * @throws SearchFailedException when the engine refuses the search
   */
  public Map<String, Totals> totals(
      Scope scope,
      ObjectNode filter,
      String keyField,
      Collection<String> keys,
      List<String> topFields,
      int topSize,
      List<String> distinctFields) {
    if (keys.isEmpty()) {
      return Map.of();
    }
    ObjectNode body = groups(filter, keyField, keys);
    ObjectNode aggs = (ObjectNode) body.path("aggs").path("groups").path("aggs");
    aggs.putObject("first").putObject("min").put("field", TIMESTAMP);
    aggs.putObject("last").putObject("max").put("field", TIMESTAMP);
    aggs.putObject("errors").putObject("filter").putObject("term").put(LEVEL, "error");
    for (String sum : new String[] {"input_tokens", "output_tokens", "total_tokens", "cost_usd"}) {
      aggs.putObject(sum).putObject("sum").put("field", sum);
    }
    for (String field : topFields) {
      ObjectNode terms = aggs.putObject("top_" + field).putObject("terms");
      terms.put("field", field).put("size", topSize).putObject("order").put("last", "desc");
      ((ObjectNode) aggs.path("top_" + field))
          .putObject("aggs")
          .putObject("last")
          .putObject("max")
          .put("field", TIMESTAMP);
    }
    for (String field : distinctFields) {
      aggs.putObject("distinct_" + field).putObject("cardinality").put("field", field);
    }
    Map<String, Totals> totals = new LinkedHashMap<>();
    for (JsonNode bucket :
        search(scope, body).path("aggregations").path("groups").path("buckets")) {
      Map<String, List<Count>> top = new LinkedHashMap<>();
      for (String field : topFields) {
        List<Count> counts = new ArrayList<>();
        for (JsonNode value : bucket.path("top_" + field).path("buckets")) {
          counts.add(
              new Count(
                  value.path("key").asText(),
                  value.path("doc_count").asLong(),
                  instant(value.path("last"))));
        }
        top.put(field, List.copyOf(counts));
      }
      Map<String, Long> distinct = new LinkedHashMap<>();
      distinctFields.forEach(
          field -> distinct.put(field, bucket.path("distinct_" + field).path("value").asLong()));
      totals.put(
          bucket.path("key").asText(),
          new Totals(
              bucket.path("key").asText(),
              bucket.path("doc_count").asLong(),
              bucket.path("errors").path("doc_count").asLong(),
              sum(bucket, "input_tokens"),
              sum(bucket, "output_tokens"),
              sum(bucket, "total_tokens"),
              bucket.path("cost_usd").path("value").asDouble(),
              instant(bucket.path("first")),
              instant(bucket.path("last")),
              top,
              distinct));
    }
    return totals;
  }

  /** A search of the named groups' documents with a {@code terms} aggregation over them. */
  private ObjectNode groups(ObjectNode filter, String keyField, Collection<String> keys) {
    ObjectNode body = json.createObjectNode();
    ObjectNode terms = json.createObjectNode();
    ArrayNode values = terms.putObject("terms").putArray(keyField);
    keys.forEach(values::add);
    body.set("query", both(filter, terms));
    body.put("size", 0);
    body.put("track_total_hits", false);
    ObjectNode groups = body.putObject("aggs").putObject("groups");
    groups.putObject("terms").put("field", keyField).put("size", keys.size());
    groups.putObject("aggs");
    return body;
  }

  private ObjectNode both(ObjectNode filter, ObjectNode more) {
    ObjectNode query = json.createObjectNode();
    ArrayNode clauses = query.putObject("bool").putArray("filter");
    if (filter != null) {
      clauses.add(filter);
    }
    clauses.add(more);
    return query;
  }

  private ObjectNode exists(String field) {
    ObjectNode exists = json.createObjectNode();
    exists.putObject("exists").put("field", field);
    return exists;
  }

  private static long sum(JsonNode bucket, String name) {
    return Math.round(bucket.path(name).path("value").asDouble());
  }

  private static Instant instant(JsonNode metric) {
    JsonNode value = metric.path("value");
    return value.isNumber() ? Instant.ofEpochMilli(value.asLong()) : null;
  }

  JsonNode search(Scope scope, ObjectNode body) {
    return store.searches().search(scope, body).root();
  }
}
