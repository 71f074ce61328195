package io.llmlog.server.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.query.kql.KqlParser;

/** The engine query for "these calls": the KQL and the time window, both as filters. */
final class CallQuery {
  private CallQuery() {}

  /**
   * {@code bool.filter [kql, range]}; filter context because results are sorted or aggregated,
   * never ranked, and filters are cached by the engine.
   *
   * @throws io.llmlog.server.query.kql.KqlSyntaxException when {@code q} is not valid KQL
   */
  static ObjectNode build(ObjectMapper json, KqlParser kql, String q, TimeRange range) {
    ObjectNode query = json.createObjectNode();
    ArrayNode filter = query.putObject("bool").putArray("filter");
    if (q != null && !q.isBlank()) {
      ObjectNode parsed = kql.toQuery(q);
      if (!parsed.has("match_all")) {
        filter.add(parsed);
      }
    }
    range.addTo(filter);
    return query;
  }
}
