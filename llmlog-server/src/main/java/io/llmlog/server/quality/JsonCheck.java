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
    // Most responses are prose: tell them apart by their first character, without copying or
    // parsing them.
    int first = 0;
    while (first < text.length() && Character.isWhitespace(text.charAt(first))) {
      first++;
    }
    if (first == text.length() || !mayStartJson(text.charAt(first), text, first)) {
      int start = first;
      return Verdict.explainedLater(
          0,
          "invalid_json",
          () ->
              "not JSON: starts with "
                  + preview(text.substring(start, Math.min(text.length(), start + 21))));
    }
    String body = unfenced(text.strip());
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

  /** JSON values start so; a Markdown code fence too, since the JSON may be inside one. */
  private static boolean mayStartJson(char c, String text, int at) {
    return c == '{'
        || c == '['
        || c == '"'
        || c == '-'
        || (c >= '0' && c <= '9')
        || text.startsWith("```", at)
        || text.startsWith("true", at)
        || text.startsWith("false", at)
        || text.startsWith("null", at);
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
    return text.isEmpty()
        ? "nothing"
        : "'" + (text.length() > 20 ? text.substring(0, 20) + "…" : text) + "'";
  }
}
