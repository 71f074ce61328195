package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a site writes errors: llmlog's own shape, or Elasticsearch's so that its clients understand.
 */
enum ErrorStyle {
  /** {@code {"error": {"status": 400, "type": "...", "reason": "...", "field": "..."}}}. */
  NATIVE {
    @Override
    ObjectNode render(ObjectMapper json, int status, String type, String reason) {
      ObjectNode root = json.createObjectNode();
      root.putObject("error").put("status", status).put("type", type).put("reason", reason);
      return root;
    }
  },
  /** {@code {"error": {"root_cause": [...], "type": "...", "reason": "..."}, "status": 400}}. */
  ELASTICSEARCH {
    @Override
    ObjectNode render(ObjectMapper json, int status, String type, String reason) {
      ObjectNode root = json.createObjectNode();
      ObjectNode error = root.putObject("error");
      error.putArray("root_cause").addObject().put("type", type).put("reason", reason);
      error.put("type", type).put("reason", reason);
      root.put("status", status);
      return root;
    }
  },

  /**
   * OpenAI's: {@code {"error": {"message": "...", "type": "...", "param": null, "code": "..."}}},
   * what OpenAI's SDKs read.
   */
  OPENAI {
    @Override
    ObjectNode render(ObjectMapper json, int status, String type, String reason) {
      ObjectNode root = json.createObjectNode();
      root.putObject("error")
          .put("message", reason)
          .put("type", type)
          .putNull("param")
          .put("code", type);
      return root;
    }
  },
  /**
   * Anthropic's: {@code {"type": "error", "error": {"type": "...", "message": "..."}}}, what
   * Anthropic's SDKs read.
   */
  ANTHROPIC {
    @Override
    ObjectNode render(ObjectMapper json, int status, String type, String reason) {
      ObjectNode root = json.createObjectNode();
      root.put("type", "error");
      root.putObject("error").put("type", type).put("message", reason);
      return root;
    }
  };

  abstract ObjectNode render(ObjectMapper json, int status, String type, String reason);
}
