package io.llmlog.server.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.server.pipeline.Event;

/**
 * {@code type: json}: the field (the response by default) is valid JSON, and matches a schema when
 * one is given. Score 1 and label {@code valid}; else 0 with {@code invalid_json} and the parser's
 * message, or {@code schema_mismatch} and the first violation. A response wrapped in a Markdown
 * code fence (```json ... ```) is read inside the fence, as applications usually do.
 */
final class JsonCheck implements CallEvaluator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String field;
  private final JsonSchema schema;

  JsonCheck(String field, JsonSchema schema) {
    this.field = field;
    this.schema = schema;
  }

  @Override
  public Verdict evaluate(Event call) {
    String text = CallEvaluator.text(call, field);
    if (text == null) {
      return null;
    }
    String body = unfenced(text.strip());
    if (body.isEmpty() || (body.charAt(0) != '{' && body.charAt(0) != '[' && body.charAt(0) != '"' && !Character.isDigit(body.charAt(0))
        && !body.startsWith("true") && !body.startsWith("false") && !body.startsWith("null") && body.charAt(0) != '-')) {
      // Most responses are prose: tell them apart without starting a parser.
      return Verdict.fail("invalid_json", "not JSON: starts with " + preview(body));
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return Verdict.fail("invalid_json", "not valid JSON: " + e.getOriginalMessage());
    }
    if (schema != null) {
      String violation = schema.violation(tree);
      if (violation != null) {
        return Verdict.fail("schema_mismatch", violation);
      }
    }
    return Verdict.pass("valid", schema == null ? "valid JSON" : "valid JSON matching the schema");
  }

  static String unfenced(String text) {
    if (!text.startsWith("```")) {
      return text;
    }
    int firstLine = text.indexOf('\n');
    int end = text.lastIndexOf("```");
    return firstLine < 0 || end <= firstLine ? text : text.substring(firstLine + 1, end).strip();
  }

  private static String preview(String text) {
    return text.isEmpty() ? "nothing" : "'" + (text.length() > 20 ? text.substring(0, 20) + "…" : text) + "'";
  }
}
