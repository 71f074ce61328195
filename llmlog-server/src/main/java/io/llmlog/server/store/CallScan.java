package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Walks the calls that match a query in (timestamp, request_id) order, a page at a time, resuming
 * after any call: what a scoring run needs to be continued where it stopped, and what a review
 * queue needs to find its next call.
 */
public final class CallScan {
  private final LogStore store;
  private final ObjectMapper json;

  public CallScan(LogStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /** Where a walk stands: after the call of this time and id. */
  public record Position(Instant time, String requestId) {}

  /** A page of calls (their documents) and the position after its last one (null when empty). */
  public record Page(List<ObjectNode> calls, Position last) {}

  /**
   * The next page.
   *
   * @param query the query DSL of the calls (with their time window), or null for all
   * @param after resume after this call, or null from the start
   * @param newestFirst walk from the newest call back
   * @param exclude request ids to leave out
   * @throws SearchFailedException or {@link EngineUnavailableException} when the engine cannot answer
   */
  public Page page(ObjectNode query, Position after, int size, boolean newestFirst, Collection<String> exclude) {
    ObjectNode body = json.createObjectNode();
    ObjectNode bool = body.putObject("query").putObject("bool");
    ArrayNode filter = bool.putArray("filter");
    if (query != null) {
      filter.add(query);
    }
    if (!exclude.isEmpty()) {
      ArrayNode ids = bool.putArray("must_not").addObject().putObject("ids").putArray("values");
      exclude.forEach(ids::add);
    }
    String order = newestFirst ? "desc" : "asc";
    ArrayNode sort = body.putArray("sort");
    sort.addObject().put("timestamp", order);
    sort.addObject().put("request_id", order);
    body.put("size", size);
    body.put("track_total_hits", false);
    if (after != null) {
      body.putArray("search_after").add(after.time().toEpochMilli()).add(after.requestId());
    }
    List<ObjectNode> calls = new ArrayList<>();
    Position last = null;
    for (JsonNode hit : store.calls().search(store.pattern(IndexFamily.LOGS), body).path("hits").path("hits")) {
      if (hit.path("_source") instanceof ObjectNode source) {
        calls.add(source);
        JsonNode sortValues = hit.path("sort");
        last = new Position(Instant.ofEpochMilli(sortValues.path(0).asLong()), sortValues.path(1).asText());
      }
    }
    return new Page(calls, last);
  }

  /** The request ids of the calls matching a query, at most {@code limit} ({@code complete} false when there are more). */
  public QualityRecords.Matches requestIds(ObjectNode query, int limit) {
    ObjectNode body = json.createObjectNode();
    body.set("query", query);
    body.put("size", 0);
    body.putObject("aggs").putObject("ids").putObject("terms").put("field", "request_id").put("size", limit + 1);
    java.util.Set<String> ids = new java.util.TreeSet<>();
    for (JsonNode bucket : store.calls().search(store.pattern(IndexFamily.LOGS), body).path("aggregations").path("ids").path("buckets")) {
      ids.add(bucket.path("key").asText());
    }
    return ids.size() <= limit ? new QualityRecords.Matches(ids, true) : new QualityRecords.Matches(java.util.Set.of(), false);
  }

  /** How many calls match a query, counted exactly up to {@code limit}. */
  public long count(ObjectNode query, int limit) {
    ObjectNode body = json.createObjectNode();
    body.set("query", query);
    body.put("size", 0);
    body.put("track_total_hits", limit);
    return store.calls().search(store.pattern(IndexFamily.LOGS), body).path("hits").path("total").path("value").asLong();
  }

  /** The time filter of a window, to combine with a query. */
  public ObjectNode window(Instant from, Instant to) {
    ObjectNode range = json.createObjectNode();
    ObjectNode bounds = range.putObject("range").putObject("timestamp");
    if (from != null) {
      bounds.put("gte", Timestamps.format(from));
    }
    if (to != null) {
      bounds.put("lte", Timestamps.format(to));
    }
    return range;
  }
}
