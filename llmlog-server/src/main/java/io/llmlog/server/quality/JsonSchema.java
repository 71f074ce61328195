package io.llmlog.server.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The part of JSON Schema that structured LLM output is checked with: {@code type} (one or a list),
 * {@code properties}, {@code required}, {@code additionalProperties: false}, {@code items}, {@code
 * enum}, {@code const}, {@code minimum}, {@code maximum}, {@code minLength}, {@code maxLength},
 * {@code pattern}, {@code minItems}, {@code maxItems}. Any other keyword is refused when the
 * configuration is read, so a schema never silently checks less than it says.
 */
final class JsonSchema {
  static final Set<String> KEYWORDS =
      Set.of(
          "type",
          "properties",
          "required",
          "additionalProperties",
          "items",
          "enum",
          "const",
          "minimum",
          "maximum",
          "minLength",
          "maxLength",
          "pattern",
          "minItems",
          "maxItems",
          "title",
          "description",
          "$schema");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode schema;

  private JsonSchema(JsonNode schema) {
    this.schema = schema;
  }

  /**
   * A schema from configuration (a YAML mapping).
   *
   * @throws IllegalArgumentException naming the keyword that is not supported or is malformed
   */
  static JsonSchema of(Map<String, Object> schema) {
    JsonNode tree = JSON.valueToTree(schema);
    check(tree, "$");
    return new JsonSchema(tree);
  }

  private static void check(JsonNode node, String path) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(path + " must be a schema object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!KEYWORDS.contains(name)) {
        throw new IllegalArgumentException(
            path
                + ": the keyword '"
                + name
                + "' is not supported (supported: type, properties, required, "
                + "additionalProperties: false, items, enum, const, minimum, maximum, minLength, maxLength, pattern, minItems, maxItems)");
      }
    }
    node.path("properties")
        .fields()
        .forEachRemaining(entry -> check(entry.getValue(), path + ".properties." + entry.getKey()));
    if (node.has("items")) {
      check(node.get("items"), path + ".items");
    }
    if (node.has("pattern")) {
      try {
        Pattern.compile(node.get("pattern").asText());
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            path + ".pattern is not a valid regular expression: " + e.getDescription());
      }
    }
  }

  /** The first way the value breaks the schema, as "path: problem", or null when it matches. */
  String violation(JsonNode value) {
    return violation(schema, value, "$");
  }

  private static String violation(JsonNode schema, JsonNode value, String path) {
    JsonNode type = schema.get("type");
    if (type != null) {
      List<JsonNode> types = type.isArray() ? iterable(type) : List.of(type);
      if (types.stream().noneMatch(t -> hasType(value, t.asText()))) {
        return path
            + ": expected "
            + (type.isArray() ? type.toString() : type.asText())
            + ", found "
            + typeOf(value);
      }
    }
    if (schema.has("const") && !schema.get("const").equals(value)) {
      return path + ": expected " + schema.get("const");
    }
    if (schema.has("enum") && iterable(schema.get("enum")).stream().noneMatch(value::equals)) {
      return path + ": not one of " + schema.get("enum");
    }
    if (value.isNumber()) {
      if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
        return path + ": " + value + " is less than " + schema.get("minimum");
      }
      if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
        return path + ": " + value + " is more than " + schema.get("maximum");
      }
    }
    if (value.isTextual()) {
      int length = value.asText().codePointCount(0, value.asText().length());
      if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
        return path + ": shorter than " + schema.get("minLength").asInt() + " characters";
      }
      if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
        return path + ": longer than " + schema.get("maxLength").asInt() + " characters";
      }
      if (schema.has("pattern")
          && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
        return path + ": does not match " + schema.get("pattern").asText();
      }
    }
    if (value.isArray()) {
      if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
        return path + ": fewer than " + schema.get("minItems").asInt() + " items";
      }
      if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
        return path + ": more than " + schema.get("maxItems").asInt() + " items";
      }
      if (schema.has("items")) {
        for (int i = 0; i < value.size(); i++) {
          String problem = violation(schema.get("items"), value.get(i), path + "[" + i + "]");
          if (problem != null) {
            return problem;
          }
        }
      }
    }
    if (value.isObject()) {
      for (JsonNode required : iterable(schema.path("required"))) {
        if (!value.has(required.asText())) {
          return path + ": '" + required.asText() + "' is required";
        }
      }
      JsonNode properties = schema.path("properties");
      for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode propertySchema = properties.get(field.getKey());
        if (propertySchema == null) {
          if (schema.path("additionalProperties").isBoolean()
              && !schema.path("additionalProperties").asBoolean()) {
            return path + ": '" + field.getKey() + "' is not allowed";
          }
          continue;
        }
        String problem = violation(propertySchema, field.getValue(), path + "." + field.getKey());
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "number" -> value.isNumber();
      case "integer" ->
          value.isIntegralNumber()
              || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      default -> false;
    };
  }

  private static String typeOf(JsonNode value) {
    return value.isObject()
        ? "object"
        : value.isArray()
            ? "array"
            : value.isTextual()
                ? "string"
                : value.isNumber() ? "number" : value.isBoolean() ? "boolean" : "null";
  }

  private static List<JsonNode> iterable(JsonNode array) {
    List<JsonNode> items = new java.util.ArrayList<>();
    array.forEach(items::add);
    return items;
  }
}
