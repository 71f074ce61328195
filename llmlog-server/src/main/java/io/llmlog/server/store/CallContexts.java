package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.QualityField;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of stored calls that their quality records carry too ({@link QualityField#CALL_CONTEXT}:
 * model, service, ...). Read with real-time gets from the call's day and the day before, so a
 * rating sent a second after its call finds it although a search would not yet.
 */
public final class CallContexts {
  private final LogStore store;
  private final ObjectMapper json;

  public CallContexts(LogStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /**
   * The context of each call that is found, by request id.
   *
   * @param calls request ids with a time at or after their call (the quality record's)
   * @throws EngineUnavailableException when the engine cannot answer
   */
  public Map<String, Map<String, Object>> lookup(Map<String, Instant> calls) {
    if (calls.isEmpty()) {
      return Map.of();
    }
    ObjectNode body = json.createObjectNode();
    ArrayNode docs = body.putArray("docs");
    calls.forEach((id, time) -> {
      for (Instant day : List.of(time, time.minus(Duration.ofDays(1)))) {
        ObjectNode doc = docs.addObject();
        doc.put("_index", store.index(IndexFamily.LOGS, day));
        doc.put("_id", id);
        ArrayNode source = doc.putArray("_source");
        QualityField.CALL_CONTEXT.forEach(field -> source.add(field.jsonName()));
      }
    });
    EngineResponse response = store.client().send("POST", "/_mget", store.bytes(body));
    if (!response.ok()) {
      throw new EngineUnavailableException("the search engine answered " + response.status() + " to looking up calls", null);
    }
    Map<String, Map<String, Object>> found = new HashMap<>();
    for (JsonNode doc : store.tree(response).path("docs")) {
      if (!doc.path("found").asBoolean(false) || found.containsKey(doc.path("_id").asText())) {
        continue;
      }
      Map<String, Object> context = new LinkedHashMap<>();
      for (QualityField field : QualityField.CALL_CONTEXT) {
        JsonNode value = doc.path("_source").path(field.jsonName());
        if (value.isTextual()) {
          context.put(field.jsonName(), value.asText());
        }
      }
      found.put(doc.path("_id").asText(), context);
    }
    return found;
  }
}
