package io.llmlog.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.store.EngineResponse;
import io.llmlog.server.store.LogStore;
import io.llmlog.server.store.Searches;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code _search}, {@code _count} and {@code _msearch} of the Elasticsearch facade: the query DSL
 * goes to the engine untouched and the engine's answer comes back, so anything the engine can
 * answer (aggregations, highlighting, {@code search_after}, ...) works as it does there. Only index
 * names are translated, both ways, and only llmlog's searchable indices can be reached ({@link
 * FacadeIndices}).
 *
 * <p>The one change to a body: a reference to a stored document, which the engine would fetch from
 * any index (a {@code terms} lookup, a {@code more_like_this} item, an indexed shape: an object
 * with {@code index}/{@code _index} and {@code id}/{@code _id}), has its index checked and prefixed
 * like a path index. Point-in-time searches and scrolls are refused: their ids would reach indices
 * this API never checked, and the endpoints that open them are not offered. A body sent as {@code
 * ?source=} is treated as the body it is.
 *
 * <p>Not translated: index names inside a body elsewhere ({@code indices_boost}, queries on the
 * {@code _index} field) are the engine's, prefix included, when a deployment sets a prefix.
 */
public final class FacadeSearch {
  /** Query parameters that would open server-side state the facade cannot scope. */
  private static final Set<String> REFUSED_PARAMETERS = Set.of("scroll");

  private final LogStore store;
  private final ObjectMapper json;
  private final FacadeIndices indices;

  public FacadeSearch(LogStore store, ObjectMapper json) {
    this.store = Objects.requireNonNull(store, "store");
    this.json = Objects.requireNonNull(json, "json");
    this.indices = new FacadeIndices(store.indexPrefix());
  }

  /**
   * {@code _search} or {@code _count} on an index expression.
   *
   * @param endpoint {@code _search} or {@code _count}
   * @param index the path's index expression, or null for all of llmlog's searchable indices
   * @param parameters the query parameters, passed on (an empty value is a flag such as {@code
   *     typed_keys})
   * @param body the request body, or null
   * @return the engine's status and answer, index names without the prefix
   * @throws ForbiddenIndexException when an index is not llmlog's
   * @throws InvalidParameterException for a refused parameter or body feature
   */
  public EngineResponse search(
      String endpoint, String index, Map<String, String> parameters, byte[] body) {
    Searches.Forwarded forwardedEndpoint =
        switch (endpoint) {
          case "_search" -> Searches.Forwarded.SEARCH;
          case "_count" -> Searches.Forwarded.COUNT;
          default -> throw new IllegalArgumentException(endpoint);
        };
    Map<String, String> rest = new LinkedHashMap<>(parameters);
    // ?source= is the body in the URL (for clients that cannot send GET bodies): scoped like a
    // body.
    String source = rest.remove("source");
    rest.remove("source_content_type");
    if ((body == null || body.length == 0) && source != null && !source.isEmpty()) {
      body = source.getBytes(StandardCharsets.UTF_8);
    }
    checkParameters(rest);
    String engineIndices = indices.toEngine(index);
    byte[] forwarded = body == null || body.length == 0 ? null : scopedBody(body);
    EngineResponse response =
        store.searches().forward(forwardedEndpoint, engineIndices, rest, forwarded);
    return indices.toUser(response);
  }

  /**
   * {@code _msearch}: NDJSON pairs of a header (with an optional {@code index}) and a search body.
   *
   * @param index the path's index expression, the default for headers without one
   */
  public EngineResponse msearch(String index, Map<String, String> parameters, byte[] ndjson) {
    List<String> lines = new ArrayList<>();
    for (String line : new String(ndjson, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    if (lines.isEmpty() || lines.size() % 2 != 0) {
      throw new InvalidParameterException(
          "body",
          "an _msearch body is pairs of lines, a header such as {\"index\":\"llm-logs-*\"} "
              + "and a search body, each pair ending in a newline");
    }
    StringBuilder forwarded = new StringBuilder();
    for (int i = 0; i < lines.size(); i += 2) {
      ObjectNode header = object(lines.get(i), "header line " + (i + 1));
      JsonNode named = header.get("index");
      String expression = index;
      if (named != null && named.isTextual()) {
        expression = named.asText();
      } else if (named != null && named.isArray()) {
        List<String> names = new ArrayList<>();
        named.forEach(n -> names.add(n.asText()));
        expression = String.join(",", names);
      }
      header.put("index", indices.toEngine(expression));
      forwarded.append(header).append('\n');
      forwarded
          .append(
              new String(
                  scopedBody(lines.get(i + 1).getBytes(StandardCharsets.UTF_8)),
                  StandardCharsets.UTF_8))
          .append('\n');
    }
    checkParameters(parameters);
    EngineResponse response =
        store
            .searches()
            .forwardMulti(parameters, forwarded.toString().getBytes(StandardCharsets.UTF_8));
    return indices.toUser(response);
  }

  private static void checkParameters(Map<String, String> parameters) {
    for (String name : parameters.keySet()) {
      if (REFUSED_PARAMETERS.contains(name)) {
        throw new InvalidParameterException(
            name,
            "scrolling is not supported by llmlog's Elasticsearch-compatible API; "
                + "page with search_after and a sort instead");
      }
    }
  }

  /** The body as sent, unless it refers to stored documents, whose indices are then scoped. */
  byte[] scopedBody(byte[] body) {
    JsonNode tree;
    try {
      tree = json.readTree(body);
    } catch (IOException notJson) {
      // The engine's own parse error is the answer an Elasticsearch client expects.
      return body;
    }
    if (tree == null || !tree.isObject()) {
      return body;
    }
    if (tree.has("pit")) {
      throw new InvalidParameterException(
          "pit",
          "point-in-time searches are not supported by llmlog's Elasticsearch-compatible API; "
              + "page with search_after and a sort instead");
    }
    StoredScripts.refuse(tree, "script");
    return scopeReferences(tree) ? bytes(tree) : body;
  }

  /** Prefixes the index of every stored-document reference; true when there was one. */
  private boolean scopeReferences(JsonNode node) {
    boolean changed = false;
    if (node instanceof ObjectNode object) {
      // A geo_shape's indexed_shape without an index reads the index named "shapes", which is not
      // llmlog's.
      JsonNode shape = object.get("indexed_shape");
      if (shape != null && shape.isObject() && !shape.has("index")) {
        throw new ForbiddenIndexException(
            "an indexed_shape must name its index, one of llmlog's (llm-logs-*, llm-quality-*)");
      }
      changed |= scopeReference(object, "index", "id");
      changed |= scopeReference(object, "_index", "_id");
      for (JsonNode child : object) {
        changed |= scopeReferences(child);
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode child : array) {
        changed |= scopeReferences(child);
      }
    }
    return changed;
  }

  private boolean scopeReference(ObjectNode object, String indexKey, String idKey) {
    JsonNode index = object.get(indexKey);
    if (index == null || !index.isTextual() || !object.has(idKey)) {
      return false;
    }
    object.put(indexKey, indices.toEngine(index.asText()));
    return true;
  }

  private ObjectNode object(String line, String what) {
    try {
      JsonNode node = json.readTree(line);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // Reported below.
    }
    throw new InvalidParameterException("body", "the _msearch " + what + " is not a JSON object");
  }

  private byte[] bytes(JsonNode tree) {
    try {
      return json.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
