package io.llmlog.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.QualityField;
import io.llmlog.core.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lookups in the quality records ({@code llm-quality-*}) that the quality capability and the call
 * searches need: which calls an evaluator already scored or a queue already reviewed, which calls
 * have records matching a query, and which score names exist.
 */
public final class QualityRecords {
  private static final String SCORES = QualityField.SCORES.jsonName() + ".";

  private final Searches searches;
  private final ObjectMapper json;

  QualityRecords(Searches searches, ObjectMapper json) {
    this.searches = searches;
    this.json = json;
  }

  /**
   * Which of these calls have a record whose keyword {@code field} is {@code value} (a score by
   * evaluator {@code x}, a review in queue {@code y}), counting every record written so far: the
   * quality indices are refreshed first, so that a scoring run does not judge again a call the live
   * judge scored a moment ago.
   *
   * @throws SearchFailedException or {@link EngineUnavailableException} when the engine cannot
   *     answer
   */
  public Set<String> having(String field, String value, Collection<String> requestIds) {
    if (requestIds.isEmpty()) {
      return Set.of();
    }
    searches.refresh(IndexFamily.QUALITY);
    ObjectNode query = json.createObjectNode();
    ArrayNode filter = query.putObject("bool").putArray("filter");
    filter.addObject().putObject("term").put(field, value);
    ArrayNode ids = filter.addObject().putObject("terms").putArray("request_id");
    new LinkedHashSet<>(requestIds).forEach(ids::add);
    return requestIds(query, null, requestIds.size()).ids();
  }

  /**
   * The distinct request ids of the records matching a query (and, when {@code since} is given,
   * made at or after it), at most {@code limit}.
   */
  public RequestIds requestIds(ObjectNode query, Instant since, int limit) {
    ObjectNode filtered = json.createObjectNode();
    ArrayNode filter = filtered.putObject("bool").putArray("filter");
    filter.add(query);
    if (since != null) {
      filter
          .addObject()
          .putObject("range")
          .putObject("timestamp")
          .put("gte", Timestamps.format(since));
    }
    return searches.requestIds(IndexFamily.QUALITY, filtered, limit);
  }

  /** How many records match a query. */
  public long count(ObjectNode query) {
    ObjectNode body = json.createObjectNode();
    body.set("query", query);
    body.put("size", 0);
    body.put("track_total_hits", true);
    return searches.search(IndexFamily.QUALITY, body).total();
  }

  /**
   * The names of the scores stored so far ({@code relevance} for {@code scores.relevance}), sorted.
   */
  public List<String> scoreNames() {
    List<String> names = new ArrayList<>();
    for (String field : searches.mappedFields(IndexFamily.QUALITY, SCORES + "*")) {
      if (field.startsWith(SCORES)) {
        names.add(field.substring(SCORES.length()));
      }
    }
    return names;
  }
}
