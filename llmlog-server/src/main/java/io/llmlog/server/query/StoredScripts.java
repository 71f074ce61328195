package io.llmlog.server.query;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Searches may carry scripts written in the request ({@code bucket_script}, script fields, script
 * queries and sorts), which the engine runs in Painless's sandbox. A reference to a stored script
 * ({@code "script": {"id": ...}}) is refused: llmlog offers no way to store one, and on an external
 * cluster it would run whatever someone else stored there.
 */
final class StoredScripts {
  private StoredScripts() {}

  /**
   * @throws InvalidParameterException naming {@code parameter} when {@code node} refers to a stored
   *     script anywhere
   */
  static void refuse(JsonNode node, String parameter) {
    if (node.isObject()) {
      JsonNode script = node.get("script");
      if (script != null && script.isObject() && script.has("id") && !script.has("source")) {
        throw new InvalidParameterException(
            parameter,
            "stored scripts are not supported by llmlog; write the script in the request "
                + "({\"script\": {\"source\": \"...\", \"params\": {...}}})");
      }
    }
    if (node.isContainerNode()) {
      for (JsonNode child : node) {
        refuse(child, parameter);
      }
    }
  }
}
