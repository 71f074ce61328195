package io.llmlog.server.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Searches of llmlog's index families, and the searches the Elasticsearch facade forwards as they
 * are. A family's search treats indices that do not exist yet (a fresh install, a day without
 * traffic) as an empty result, and fails when a shard fails, rather than silently leaving that
 * shard's documents out of a page, a count or an alert.
 */
public final class Searches {
  private static final String LENIENT = "ignore_unavailable=true&allow_no_indices=true&allow_partial_search_results=false";

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
    return search(family.pattern(prefix), body);
  }

  /**
   * A search (query DSL) over the indices of a scope: the days of a window, or every index of its families.
   *
   * @throws SearchFailedException with the engine's status and reason when it refuses the search
   */
  public SearchAnswer search(Scope scope, ObjectNode body) {
    return search(scope.indices(prefix), body);
  }

  private SearchAnswer search(String indices, ObjectNode body) {
    EngineResponse response = client.send("POST", "/" + indices + "/_search?" + LENIENT, answers.bytes(body));
    if (!response.ok()) {
      throw new SearchFailedException(response.status(), "the search engine refused the search: " + answers.reason(response));
    }
    return new SearchAnswer(answers.tree(response));
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
  public EngineResponse forward(Forwarded endpoint, String indices, Map<String, String> parameters, byte[] body) {
    String path = "/" + indices + "/" + endpoint.endpoint + query(parameters);
    return client.send(body == null ? "GET" : "POST", path, body, "application/json", timeout);
  }

  /** Forwards a facade {@code _msearch}; every header of the body names only llmlog's indices. */
  public EngineResponse forwardMulti(Map<String, String> parameters, byte[] ndjson) {
    return client.send("POST", "/_msearch" + query(parameters), ndjson, "application/x-ndjson", timeout);
  }

  /** Query parameters as the engine reads them: {@code ?a=1&flag}, names and values URL-encoded; empty for none. */
  static String query(Map<String, String> parameters) {
    if (parameters.isEmpty()) {
      return "";
    }
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      query.append(query.isEmpty() ? '?' : '&').append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8));
      if (parameter.getValue() != null && !parameter.getValue().isEmpty()) {
        query.append('=').append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
      }
    }
    return query.toString();
  }
}
