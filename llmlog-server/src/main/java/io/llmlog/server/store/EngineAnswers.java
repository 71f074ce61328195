package io.llmlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Reading the engine's answers, in one place: its JSON, and the reason it gives when it refuses.
 * Every operation of this package goes through here, so that an answer which is not JSON, or an
 * error without the usual fields, is handled the same way whichever capability asked.
 */
final class EngineAnswers {
  /** Engine errors can quote a whole query or document; a message keeps this much of one. */
  static final int MAX_REASON = 500;

  private final ObjectMapper json;

  EngineAnswers(ObjectMapper json) {
    this.json = json;
  }

  /**
   * The answer as a tree, whatever its status.
   *
   * @throws EngineUnavailableException when it is not JSON (a proxy's error page, a cut connection)
   */
  JsonNode tree(EngineResponse response) {
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new EngineUnavailableException(
          "the search engine answered "
              + response.status()
              + " with something that is not JSON: "
              + abbreviate(response.text()),
          e);
    }
  }

  /**
   * The most specific reason the engine gave for refusing: its root cause's (which names the field,
   * the index or the limit), else the error's own, else the answer's text.
   */
  String reason(EngineResponse response) {
    JsonNode error;
    try {
      error = json.readTree(response.body()).path("error");
    } catch (IOException notJson) {
      return abbreviate(response.text());
    }
    if (error.isTextual()) {
      return abbreviate(error.asText());
    }
    JsonNode cause = error.path("root_cause").path(0);
    if (!cause.path("reason").isTextual()) {
      cause = error.path("reason").isTextual() ? error : error.path("caused_by");
    }
    if (!cause.path("reason").isTextual()) {
      return abbreviate(response.text());
    }
    String type = cause.path("type").asText("");
    return abbreviate(
        type.isEmpty()
            ? cause.path("reason").asText()
            : type + ": " + cause.path("reason").asText());
  }

  /**
   * The answer when the engine accepted the request.
   *
   * @throws EngineUnavailableException naming {@code what} and the engine's reason otherwise
   */
  EngineResponse ok(EngineResponse response, String what) {
    if (!response.ok()) {
      throw new EngineUnavailableException(
          "the search engine answered "
              + response.status()
              + " to "
              + what
              + ": "
              + reason(response),
          null);
    }
    return response;
  }

  byte[] bytes(JsonNode node) {
    try {
      return json.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String abbreviate(String text) {
    return text.length() > MAX_REASON ? text.substring(0, MAX_REASON) + "…" : text;
  }
}
