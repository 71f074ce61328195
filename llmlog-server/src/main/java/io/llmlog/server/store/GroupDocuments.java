package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The documents of named groups — a trace's calls and steps, a session's turns — oldest first.
 * Fields come either from each document's source (texts and messages; right for one trace or one
 * page of turns, whose documents were written together) or from doc values only (ids, times,
 * numbers, keywords; right for the documents of many traces at once, since reading sources
 * scattered over an index means decompressing a block of stored fields for each).
 */
public final class GroupDocuments {
  /**
   * The tie-breakers of the order: the request id is unique among calls, the span id among a
   * trace's steps, so that pages neither skip nor repeat documents of one millisecond.
   */
  static final List<String> TIE_BREAKERS = List.of("request_id", "span_id");

  private final LogStore store;
  private final ObjectMapper json;

  GroupDocuments(LogStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /** How fields are read. */
  public enum Read {
    /** The named fields of the stored source, as they were stored (dotted names are objects). */
    SOURCE,
    /**
     * The named fields' doc values, one flat entry per name ({@code "tool.name": "search"}); dates
     * as epoch millis.
     */
    DOC_VALUES
  }

  /**
   * A stored document: the family it belongs to, its id (null when read by {@link Read#DOC_VALUES})
   * and the fields read.
   */
  public record Doc(IndexFamily family, String id, ObjectNode fields) {}

  /**
   * Documents in time order.
   *
   * @param next the sort values to pass as {@code after} for the following documents; null when
   *     there are none
   */
  public record Docs(List<Doc> docs, JsonNode next) {
    public Docs {
      docs = List.copyOf(docs);
    }
  }

  /**
   * The documents whose {@code keyField} is one of {@code keys}, oldest first, at most {@code
   * limit}.
   *
   * @param fields the fields to read; null: the whole source
   * @param after the {@link Docs#next()} of the previous call, or null
   * @throws SearchFailedException when the engine refuses the search
   */
  public Docs read(
      Scope scope,
      String keyField,
      Collection<String> keys,
      List<String> fields,
      Read read,
      int limit,
      JsonNode after) {
    if (keys.isEmpty()) {
      return new Docs(List.of(), null);
    }
    ObjectNode body = json.createObjectNode();
    ArrayNode values = body.putObject("query").putObject("terms").putArray(keyField);
    keys.forEach(values::add);
    ArrayNode sort = body.putArray("sort");
    sort.addObject().putObject(GroupSearches.TIMESTAMP).put("order", "asc");
    TIE_BREAKERS.forEach(
        field ->
            sort.addObject().putObject(field).put("order", "asc").put("unmapped_type", "keyword"));
    body.put("size", limit);
    body.put("track_total_hits", false);
    if (read == Read.SOURCE && fields == null) {
      body.put("_source", true);
    } else if (read == Read.SOURCE) {
      ArrayNode includes = body.putObject("_source").putArray("includes");
      fields.forEach(includes::add);
    } else {
      // No stored field at all, not even _id: it sits in the same compressed blocks as the
      // sources, and loading it for hundreds of scattered documents costs more than the rest.
      body.put("stored_fields", "_none_");
      ArrayNode docValues = body.putArray("docvalue_fields");
      for (String field : fields) {
        if (field.equals(GroupSearches.TIMESTAMP)) {
          docValues.addObject().put("field", field).put("format", "epoch_millis");
        } else {
          docValues.add(field);
        }
      }
    }
    if (after != null) {
      body.set("search_after", after);
    }
    String prefix = store.indexPrefix();
    List<Doc> docs = new ArrayList<>();
    JsonNode last = null;
    for (JsonNode hit : store.searches().search(scope, body).root().path("hits").path("hits")) {
      ObjectNode fieldsRead =
          read == Read.SOURCE && hit.path("_source") instanceof ObjectNode source
              ? source
              : flat(hit.path("fields"));
      docs.add(
          new Doc(
              scope.familyOf(hit.path("_index").asText(), prefix),
              hit.path("_id").asText(null),
              fieldsRead));
      last = hit.path("sort");
    }
    return new Docs(docs, docs.size() == limit ? last : null);
  }

  /** Doc values come as a list per field; the fields read here hold one value each. */
  private ObjectNode flat(JsonNode fields) {
    ObjectNode flat = json.createObjectNode();
    fields
        .properties()
        .forEach(
            field -> {
              JsonNode value = field.getValue();
              flat.set(field.getKey(), value.isArray() && value.size() == 1 ? value.get(0) : value);
            });
    return flat;
  }
}
