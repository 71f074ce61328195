package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Lookups in the quality records ({@code llm-quality-*}) that the quality capability and the call
 * searches need: which calls an evaluator already scored or a queue already reviewed, which calls
 * have records matching a query, and which score names exist.
 */
public final class QualityRecords {
  private final LogStore store;
  private final ObjectMapper json;

  public QualityRecords(LogStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /** Request ids found, and whether that is all of them (false when the limit cut the list). */
  public record Matches(Set<String> requestIds, boolean complete) {
    public Matches {
      requestIds = Set.copyOf(requestIds);
    }
  }

  /**
   * Which of these calls have a record whose keyword {@code field} is {@code value} (a score by
   * evaluator {@code x}, a review in queue {@code y}).
   *
   * @throws SearchFailedException or {@link EngineUnavailableException} when the engine cannot answer
   */
  public Set<String> having(String field, String value, Collection<String> requestIds) {
    if (requestIds.isEmpty()) {
      return Set.of();
    }
    ObjectNode query = json.createObjectNode();
    ArrayNode filter = query.putObject("bool").putArray("filter");
    filter.addObject().putObject("term").put(field, value);
    ArrayNode ids = filter.addObject().putObject("terms").putArray("request_id");
    new LinkedHashSet<>(requestIds).forEach(ids::add);
    return requestIds(query, null, requestIds.size()).requestIds();
  }

  /**
   * The distinct request ids of the records matching a query (and, when {@code since} is given,
   * made at or after it), at most {@code limit}.
   */
  public Matches requestIds(ObjectNode query, Instant since, int limit) {
    ObjectNode body = json.createObjectNode();
    ObjectNode bool = body.putObject("query").putObject("bool");
    ArrayNode filter = bool.putArray("filter");
    filter.add(query);
    if (since != null) {
      filter.addObject().putObject("range").putObject("timestamp").put("gte", Timestamps.format(since));
    }
    body.put("size", 0);
    body.putObject("aggs").putObject("ids").putObject("terms").put("field", "request_id").put("size", limit + 1);
    Set<String> ids = new TreeSet<>();
    for (JsonNode bucket : store.calls().search(store.pattern(IndexFamily.QUALITY), body).path("aggregations").path("ids").path("buckets")) {
      ids.add(bucket.path("key").asText());
    }
    if (ids.size() <= limit) {
      return new Matches(ids, true);
    }
    List<String> kept = new ArrayList<>(ids).subList(0, limit);
    return new Matches(new TreeSet<>(kept), false);
  }

  /** How many records match a query. */
  public long count(ObjectNode query) {
    ObjectNode body = json.createObjectNode();
    body.set("query", query);
    body.put("size", 0);
    body.put("track_total_hits", true);
    return store.calls().search(store.pattern(IndexFamily.QUALITY), body).path("hits").path("total").path("value").asLong();
  }

  /** The names of the scores stored so far ({@code relevance} for {@code scores.relevance}), sorted. */
  public List<String> scoreNames() {
    EngineResponse response = store.client().send("GET", "/" + store.pattern(IndexFamily.QUALITY) + "/_mapping/field/scores.*?"
        + CallReader.LENIENT, null);
    if (response.status() == 404) {
      return List.of(); // No quality index yet, or none with a score.
    }
    if (!response.ok()) {
      throw new SearchFailedException(response.status(), response.text());
    }
    Set<String> names = new TreeSet<>();
    for (JsonNode index : store.tree(response)) {
      index.path("mappings").fieldNames().forEachRemaining(field -> {
        if (field.startsWith("scores.")) {
          names.add(field.substring("scores.".length()));
        }
      });
    }
    return List.copyOf(names);
  }
}
