package io.llmlog.server.query.kql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.FieldType;
import io.llmlog.core.LogField;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Writes the query DSL for a parsed KQL query, choosing each leaf query from the field's type as
 * Kibana's {@code is} and {@code range} functions do, and refusing values that cannot match.
 */
final class DslWriter {
  /** Where a value without a field is searched: the text of the call, not its error message. */
  static final List<String> FREE_TEXT_FIELDS =
      List.of(
          LogField.PROMPT.jsonName(),
          LogField.SYSTEM_PROMPT.jsonName(),
          LogField.RESPONSE.jsonName());

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private static final Pattern NUMBER =
      Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

  /** Whole numbers that surely fit an int; the rest go through BigDecimal. */
  private static final Pattern SMALL_INTEGER = Pattern.compile("[-+]?\\d{1,9}");

  /**
   * What the engine's default date format ({@code strict_date_optional_time||epoch_millis}) and its
   * date math accept: {@code 2026-05-01}, {@code 2026-05-01T08:30:00.123Z}, epoch millis, {@code
   * now-1h/h}, {@code 2026-05-01||+1M/d}. Not a full check (2026-13-45 passes): the engine has the
   * last word, this only catches words typed where a date belongs.
   */
  private static final Pattern DATE;

  private static final int MAX_DATE_LENGTH = 100;

  static {
    String day = "\\d{4}(-\\d{2}(-\\d{2})?)?";
    String time = "T\\d{2}(:\\d{2}(:\\d{2}([.,]\\d{1,9})?)?)?(Z|[+-]\\d{2}(:?\\d{2})?)?";
    String math = "(([+-]\\d+|/)[yMwdhHms])";
    DATE =
        Pattern.compile("now" + math + "*|\\d+|" + day + "(" + time + ")?(\\|\\|" + math + "*)?");
  }

  private final String query;
  private final FieldResolver fields;
  private final boolean caseInsensitiveKeywords;

  DslWriter(String query, FieldResolver fields, boolean caseInsensitiveKeywords) {
    this.query = query;
    this.fields = fields;
    this.caseInsensitiveKeywords = caseInsensitiveKeywords;
  }

  ObjectNode write(Ast ast) {
    return switch (ast) {
      case Ast.MatchAll m -> wrap("match_all", JSON.objectNode());
      case Ast.And and -> bool("filter", and.children());
      case Ast.Or or -> {
        ObjectNode should = bool("should", or.children());
        ((ObjectNode) should.get("bool")).put("minimum_should_match", 1);
        yield should;
      }
      case Ast.Not not -> bool("must_not", List.of(not.child()));
      case Ast.Is is -> joined(is.field(), is(is.field(), is.value()));
      case Ast.Range range ->
          joined(range.field(), range(range.field(), range.op(), range.value()));
    };
  }

  /** A clause on a field of the quality records, marked for the caller to join. */
  private ObjectNode joined(Ast.Field field, ObjectNode clause) {
    return field != null && !field.isAllFields() && fields.joined(field.name())
        ? wrap(KqlParser.QUALITY_JOIN, clause)
        : clause;
  }

  private ObjectNode bool(String clause, List<Ast> children) {
    ObjectNode bool = JSON.objectNode();
    ArrayNode queries = bool.putArray(clause);
    for (Ast child : children) {
      queries.add(write(child));
    }
    return wrap("bool", bool);
  }

  private ObjectNode is(Ast.Field field, Ast.Literal value) {
    if (field == null || field.isAllFields()) {
      return value.isLoneWildcard()
          ? wrap("match_all", JSON.objectNode())
          : text(fields.freeTextFields(), value);
    }
    String name = field.name();
    if (value.isLoneWildcard()) {
      return wrap("exists", JSON.objectNode().put("field", name));
    }
    FieldType type = fields.typeOf(name);
    if (type == FieldType.MESSAGES) {
      throw notIndexed(field.position(), name);
    }
    if (type == null || type == FieldType.TEXT) {
      // Unknown fields get what Kibana gives a field it has no type for: analysed-text queries.
      return text(List.of(name), value);
    }
    if (value.hasWildcard() && type != FieldType.KEYWORD) {
      throw KqlSyntaxException.invalid(
          query,
          value.start(),
          "wildcards need a keyword or text field: " + name,
          "a value without '*' for " + name);
    }
    return switch (type) {
      case KEYWORD ->
          value.hasWildcard()
              ? keyword("wildcard", name, value.wildcardPattern())
              : keyword("term", name, value.text());
      case INTEGER, FLOAT, DOUBLE -> fieldQuery("term", name, number(name, value));
      case BOOLEAN -> fieldQuery("term", name, JSON.booleanNode(bool(name, value)));
      // Kibana's way to match one date: a range from it to itself. The engine rounds the upper
      // bound up, so timestamp:2026-05-01 is that whole day.
      case DATE -> {
        JsonNode date = date(name, value);
        yield fieldQuery(
            "range", name, JSON.objectNode().<ObjectNode>set("gte", date).set("lte", date));
      }
      case TEXT, MESSAGES ->
          throw new IllegalStateException("text and message fields are handled above");
    };
  }

  /**
   * Structured messages are kept, not indexed: their text is searched through the fields rendered
   * from them.
   */
  private KqlSyntaxException notIndexed(int position, String name) {
    return KqlSyntaxException.invalid(
        query,
        position,
        name
            + " is kept with each call but not indexed; search its text in "
            + "prompt, system_prompt or response",
        "prompt, system_prompt or response");
  }

  private ObjectNode range(Ast.Field field, String op, Ast.Literal value) {
    String name = field.name();
    if (field.isAllFields()) {
      throw KqlSyntaxException.invalid(
          query, field.position(), "a range needs one field, not '*'", "a field name");
    }
    if (value.hasWildcard()) {
      throw KqlSyntaxException.invalid(
          query,
          value.start(),
          "wildcards are not allowed in a range: " + value.text(),
          "a number or a date");
    }
    FieldType type = fields.typeOf(name);
    JsonNode bound;
    if (type == null) {
      // Kibana passes ranges on unknown fields through; the engine decides what they mean.
      bound =
          NUMBER.matcher(value.text()).matches()
              ? number(name, value)
              : JSON.textNode(value.text());
    } else {
      bound =
          switch (type) {
            case INTEGER, FLOAT, DOUBLE -> number(name, value);
            case DATE -> date(name, value);
            case KEYWORD, TEXT, BOOLEAN ->
                throw KqlSyntaxException.invalid(
                    query,
                    field.position(),
                    "range needs a numeric or date field: " + name,
                    "a numeric or date field");
            case MESSAGES -> throw notIndexed(field.position(), name);
          };
    }
    return fieldQuery("range", name, JSON.objectNode().set(op, bound));
  }

  /**
   * Analysed text: every word must occur ({@code operator: and}, where Kibana's {@code match} lets
   * any word do) and a quoted value is a phrase. An unquoted word in Chinese or Japanese script is
   * a phrase too. Days written since schema version 4 cut a run of such characters into overlapping
   * pairs, so a two-character word ({@code 退款}) is one term there and a longer one the phrase of
   * its pairs; older days have one token per character, where the phrase of the characters is the
   * word. As plain words, {@code 退款} would find any call with 退 and 款 anywhere on an old day. A
   * single character is a term of its own only where it stands alone; inside a run it is part of
   * the pairs that start or end with it ({@link #singleCharacter}).
   */
  private static ObjectNode text(List<String> names, Ast.Literal value) {
    if (value.hasWildcard()) {
      ObjectNode queryString = JSON.objectNode();
      names.forEach(queryString.putArray("fields")::add);
      queryString.put("query", value.queryStringPattern());
      queryString.put("default_operator", "and");
      return wrap("query_string", queryString);
    }
    String text = value.text();
    if (!hasIdeographs(text)) {
      return value.quoted() ? phrase(names, text) : match(names, text);
    }
    if (isOneCharacter(text)) {
      return singleCharacter(names, text);
    }
    if (value.quoted()) {
      return phrase(names, text);
    }
    List<ObjectNode> words = new ArrayList<>();
    for (String word : text.split("[ \\t\\r\\n\\u00A0]+")) {
      // Empty only before escaped leading whitespace (\t退款); there is no word to look for there.
      if (!word.isEmpty()) {
        words.add(
            !hasIdeographs(word)
                ? match(names, word)
                : isOneCharacter(word) ? singleCharacter(names, word) : phrase(names, word));
      }
    }
    if (words.size() == 1) {
      return words.get(0);
    }
    ObjectNode bool = JSON.objectNode();
    bool.putArray("filter").addAll(words);
    return wrap("bool", bool);
  }

  /** True when the word's only letter or digit is one character (punctuation aside). */
  private static boolean isOneCharacter(String word) {
    return word.codePoints().filter(Character::isLetterOrDigit).count() == 1;
  }

  /**
   * One Chinese or Japanese character: alone (the term it is on every day), or the first or the
   * second of a pair (the terms it is part of inside a run since schema version 4). The pair ending
   * with it is a wildcard with a leading {@code ?}, which walks the field's whole term dictionary:
   * a one-character search is slower than a word's.
   */
  private static ObjectNode singleCharacter(List<String> names, String word) {
    String character =
        new String(
            Character.toChars(
                word.codePoints().filter(Character::isLetterOrDigit).findFirst().orElseThrow()));
    ObjectNode bool = JSON.objectNode();
    ArrayNode should = bool.putArray("should");
    should.add(phrase(names, character));
    for (String name : names) {
      should.add(fieldQuery("prefix", name, JSON.objectNode().put("value", character)));
      should.add(fieldQuery("wildcard", name, JSON.objectNode().put("value", "?" + character)));
    }
    bool.put("minimum_should_match", 1);
    return wrap("bool", bool);
  }

  private static ObjectNode match(List<String> names, String text) {
    if (names.size() == 1) {
      return fieldQuery(
          "match", names.get(0), JSON.objectNode().put("query", text).put("operator", "and"));
    }
    ObjectNode body = multiMatchBody(names, text, "best_fields").put("operator", "and");
    return wrap("multi_match", body);
  }

  private static ObjectNode phrase(List<String> names, String text) {
    if (names.size() == 1) {
      return fieldQuery("match_phrase", names.get(0), JSON.textNode(text));
    }
    return wrap("multi_match", multiMatchBody(names, text, "phrase"));
  }

  private static ObjectNode multiMatchBody(List<String> names, String text, String type) {
    ObjectNode body = JSON.objectNode().put("query", text);
    names.forEach(body.putArray("fields")::add);
    return body.put("type", type);
  }

  /**
   * True when the text holds Han or Hiragana characters, the scripts the standard tokenizer emits
   * one character at a time (Katakana and Hangul runs stay whole words).
   */
  static boolean hasIdeographs(String text) {
    return text.codePoints()
        .anyMatch(
            c -> {
              Character.UnicodeScript script = Character.UnicodeScript.of(c);
              return script == Character.UnicodeScript.HAN
                  || script == Character.UnicodeScript.HIRAGANA;
            });
  }

  private ObjectNode keyword(String queryType, String name, String value) {
    if (!caseInsensitiveKeywords) {
      return fieldQuery(queryType, name, JSON.textNode(value));
    }
    return fieldQuery(
        queryType, name, JSON.objectNode().put("value", value).put("case_insensitive", true));
  }

  private JsonNode number(String name, Ast.Literal value) {
    String text = value.text();
    if (!NUMBER.matcher(text).matches()) {
      throw KqlSyntaxException.invalid(
          query,
          value.start(),
          "expected a number for " + name + ", found '" + text + "'",
          "a number for " + name);
    }
    if (SMALL_INTEGER.matcher(text).matches()) {
      return JSON.numberNode(Integer.parseInt(text));
    }
    BigDecimal decimal = new BigDecimal(text);
    try {
      return JSON.numberNode(decimal.longValueExact());
    } catch (ArithmeticException notALong) {
      double d = decimal.doubleValue();
      if (Double.isInfinite(d)) {
        throw KqlSyntaxException.invalid(
            query,
            value.start(),
            "number out of range for " + name + ": " + text,
            "a number for " + name);
      }
      return JSON.numberNode(d);
    }
  }

  private JsonNode date(String name, Ast.Literal value) {
    String text = value.text();
    // The length cap keeps the regex's repeated groups (and their recursion) small.
    if (text.length() > MAX_DATE_LENGTH || !DATE.matcher(text).matches()) {
      throw KqlSyntaxException.invalid(
          query,
          value.start(),
          "expected a date for "
              + name
              + " (2026-05-01, \"2026-05-01T08:30:00Z\", now-1h), found '"
              + text
              + "'",
          "an ISO-8601 date or date math for " + name);
    }
    return JSON.textNode(text);
  }

  private boolean bool(String name, Ast.Literal value) {
    String text = value.text().toLowerCase(Locale.ROOT);
    if (!text.equals("true") && !text.equals("false")) {
      throw KqlSyntaxException.invalid(
          query,
          value.start(),
          "expected true or false for " + name + ", found '" + value.text() + "'",
          "true or false for " + name);
    }
    return text.equals("true");
  }

  /** {@code {"<queryType>":{"<name>":<body>}}}. */
  private static ObjectNode fieldQuery(String queryType, String name, JsonNode body) {
    return wrap(queryType, JSON.objectNode().set(name, body));
  }

  private static ObjectNode wrap(String queryType, JsonNode body) {
    ObjectNode query = JSON.objectNode();
    query.set(queryType, body);
    return query;
  }
}
