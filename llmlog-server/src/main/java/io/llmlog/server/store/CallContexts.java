package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.core.QualityField;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of stored calls that their quality records carry too ({@link
 * QualityField#CALL_CONTEXT}: model, service, ...). Read with real-time gets from the call's day
 * and the day before, so a rating sent a second after its call finds it although a search would not
 * yet.
 */
public final class CallContexts {
  private static final List<String> FIELDS =
      QualityField.CALL_CONTEXT.stream().map(QualityField::jsonName).toList();

  private final Documents documents;
  private final String prefix;

  CallContexts(Documents documents, String prefix) {
    this.documents = documents;
    this.prefix = prefix;
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
    List<Documents.Key> keys = new ArrayList<>(calls.size() * 2);
    calls.forEach(
        (id, time) -> {
          for (Instant day : List.of(time, time.minus(Duration.ofDays(1)))) {
            keys.add(new Documents.Key(IndexFamily.LOGS.index(prefix, day), id));
          }
        });
    Map<String, Map<String, Object>> found = new HashMap<>();
    for (Documents.Stored call : documents.getAll(keys, FIELDS)) {
      if (found.containsKey(call.id())) {
        continue;
      }
      Map<String, Object> context = new LinkedHashMap<>();
      for (String field : FIELDS) {
        JsonNode value = call.source().path(field);
        if (value.isTextual()) {
          context.put(field, value.asText());
        }
      }
      found.put(call.id(), context);
    }
    return found;
  }
}
