package io.llmlog.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.store.EngineResponse;
import io.llmlog.server.store.EngineUnavailableException;
import io.llmlog.server.store.SearchFailedException;
import java.io.IOException;

/** Reading the engine's answers to the searches this package sends. */
final class Engine {
  private Engine() {}

  /**
   * The answer as a tree.
   *
   * @throws SearchFailedException with the engine's own reason when it refused the search
   */
  static JsonNode read(ObjectMapper json, EngineResponse response) {
    JsonNode tree;
    try {
      tree = json.readTree(response.body());
    } catch (IOException e) {
      throw new EngineUnavailableException("the search engine answered " + response.status() + " with something that is not JSON", e);
    }
    if (!response.ok()) {
      throw new SearchFailedException(response.status(), reason(tree, response));
    }
    return tree;
  }

  /** The most specific reason: the root cause's, which names the field or the limit. */
  private static String reason(JsonNode tree, EngineResponse response) {
    JsonNode error = tree.path("error");
    JsonNode rootCause = error.path("root_cause").path(0);
    String reason = rootCause.path("reason").asText(error.path("reason").asText(""));
    if (reason.isEmpty()) {
      reason = error.path("caused_by").path("reason").asText(response.text());
    }
    return "the search engine refused the search: " + reason;
  }
}
