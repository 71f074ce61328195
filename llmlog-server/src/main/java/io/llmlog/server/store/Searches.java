package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Searches of llmlog's index families, and the searches the Elasticsearch facade forwards as they
 * are. A family's search treats indices that do not exist yet (a fresh install, a day without
 * traffic) as an empty result, and fails when a shard fails, rather than silently leaving that
 * shard's documents out of a page, a count or an alert.
 */
public final class Searches {
  private static final String LENIENT_INDICES = "ignore_unavailable=true&allow_no_indices=true";
  private static final String LENIENT = LENIENT_INDICES + "&allow_partial_search_results=false";

  private final EngineClient client;
  private final EngineAnswers answers;
  private final String prefix;
  private final Duration timeout;

  Searches(EngineClient client, EngineAnswers answers, String prefix, Duration timeout) {
    this.client = client;
    this.answers = answers;
    this.prefix = prefix;
    this.timeout = timeout;
  }

  /**
   * A search (query DSL) over every index of a family.
   *
   * @throws SearchFailedException with the engine's status and reason when it refuses the search
   */
  public SearchAnswer search(IndexFamily family, ObjectNode body) {
    return searchIndices(family.pattern(prefix), body);
  }

  /**
   * A search (query DSL) over the indices of a scope: the days of a window, or every index of its
   * families.
   *
   * @throws SearchFailedException with the engine's status and reason when it refuses the search
   */
  public SearchAnswer search(Scope scope, ObjectNode body) {
    return searchIndices(scope.indices(prefix), body);
  }

  private SearchAnswer searchIndices(String indices, ObjectNode body) {
    EngineResponse response =
        client.send("POST", "/" + indices + "/_search?" + LENIENT, answers.bytes(body));
    if (!response.ok()) {
      throw new SearchFailedException(
          response.status(), "the search engine refused the search: " + answers.reason(response));
    }
    return new SearchAnswer(answers.tree(response));
  }

  /** Makes every document of the family written so far searchable. */
  public void refresh(IndexFamily family) {
    answers.ok(
        client.send("POST", "/" + family.pattern(prefix) + "/_refresh?" + LENIENT_INDICES, null),
        "refreshing " + family.pattern(prefix));
  }

  /**
   * The distinct request ids of a family's documents matching a query, at most {@code limit}, in
   * one terms aggregation.
   *
   * @throws SearchFailedException with the engine's status and reason when it refuses the search
   */
  public RequestIds requestIds(IndexFamily family, ObjectNode query, int limit) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("query", query);
    body.put("size", 0);
    body.putObject("aggs")
        .putObject("ids")
        .putObject("terms")
        .put("field", "request_id")
        .put("size", limit + 1);
    SortedSet<String> ids = new TreeSet<>();
    for (JsonNode bucket : search(family, body).aggregations().path("ids").path("buckets")) {
      ids.add(bucket.path("key").asText());
    }
    return RequestIds.of(ids, limit);
  }

  /**
   * A search of one of llmlog's own indices that is not a family (the quality state), lenient and
   * strict as a family's.
   */
  SearchAnswer search(String index, ObjectNode body) {
    return searchIndices(IndexAdmin.exact(index), body);
  }

  /**
   * The fields mapped in a family's indices whose names match a pattern ({@code scores.*}), sorted;
   * empty when no index of the family exists or none maps such a field.
   */
  public List<String> mappedFields(IndexFamily family, String pattern) {
    EngineResponse response =
        client.send(
            "GET",
            "/" + family.pattern(prefix) + "/_mapping/field/" + pattern + "?" + LENIENT_INDICES,
            null);
    if (response.status() == 404) {
      return List.of();
    }
    JsonNode answer =
        answers.tree(answers.ok(response, "listing the fields of " + family.pattern(prefix)));
    Set<String> names = new TreeSet<>();
    for (JsonNode index : answer) {
      index.path("mappings").fieldNames().forEachRemaining(names::add);
    }
    return List.copyOf(names);
  }

  /** The facade's forwarded endpoints. */
  public enum Forwarded {
    SEARCH("_search"),
    COUNT("_count");

    private final String endpoint;

    Forwarded(String endpoint) {
      this.endpoint = endpoint;
    }
  }

  /**
   * Forwards a search of the Elasticsearch facade: the body goes to the engine untouched and the
   * engine's answer, status and bytes, comes back. The caller has checked and prefixed the indices.
   *
   * @param indices an index expression naming only llmlog's indices
   * @param parameters query parameters; an empty value is a flag such as {@code typed_keys}
   * @param body the request body, or null for none
   */
  public EngineResponse forward(
      Forwarded endpoint, String indices, Map<String, String> parameters, byte[] body) {
    String path = "/" + indices + "/" + endpoint.endpoint + query(parameters);
    return client.send(body == null ? "GET" : "POST", path, body, "application/json", timeout);
  }

  /** Forwards a facade {@code _msearch}; every header of the body names only llmlog's indices. */
  public EngineResponse forwardMulti(Map<String, String> parameters, byte[] ndjson) {
    return client.send(
        "POST", "/_msearch" + query(parameters), ndjson, "application/x-ndjson", timeout);
  }

  /**
   * Query parameters as the engine reads them: {@code ?a=1&flag}, names and values URL-encoded;
   * empty for none.
   */
  static String query(Map<String, String> parameters) {
    if (parameters.isEmpty()) {
      return "";
    }
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      query
          .append(query.isEmpty() ? '?' : '&')
          .append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8));
      if (parameter.getValue() != null && !parameter.getValue().isEmpty()) {
        query.append('=').append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
      }
    }
    return query.toString();
  }
}
