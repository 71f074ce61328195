package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The engine's answer to a search: its hits, total and aggregations. Aggregations stay a tree,
 * since their shape is the one the caller asked for.
 */
public record SearchAnswer(JsonNode root) {
  public SearchAnswer {
    Objects.requireNonNull(root, "root");
  }

  /**
   * One hit.
   *
   * @param source its {@code _source} (an empty object when the search asked for none)
   * @param sort its sort values, for {@code search_after} (missing when unsorted)
   * @param highlight its highlighted fragments by field (missing when none were asked for)
   */
  public record Hit(
      String index, String id, ObjectNode source, JsonNode sort, JsonNode highlight) {}

  public List<Hit> hits() {
    List<Hit> hits = new ArrayList<>();
    for (JsonNode hit : root.path("hits").path("hits")) {
      hits.add(
          new Hit(
              hit.path("_index").asText(),
              hit.path("_id").asText(),
              hit.path("_source") instanceof ObjectNode source
                  ? source
                  : JsonNodeFactory.instance.objectNode(),
              hit.path("sort"),
              hit.path("highlight")));
    }
    return hits;
  }

  /** Matching documents; a lower bound unless {@link #totalExact()}. */
  public long total() {
    return root.path("hits").path("total").path("value").asLong();
  }

  /** False when the search stopped counting at its {@code track_total_hits}. */
  public boolean totalExact() {
    return "eq".equals(root.path("hits").path("total").path("relation").asText("eq"));
  }

  /** The engine's own time for the search. */
  public long tookMillis() {
    return root.path("took").asLong();
  }

  /** The {@code aggregations} object (missing when none were asked for). */
  public JsonNode aggregations() {
    return root.path("aggregations");
  }
}
