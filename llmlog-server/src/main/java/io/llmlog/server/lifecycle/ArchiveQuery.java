package io.llmlog.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.core.FieldType;
import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.LogField;
import io.llmlog.core.QualityField;
import io.llmlog.core.Timestamps;
import io.llmlog.server.query.kql.KqlParser;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * KQL evaluated in memory on archived documents, for {@code archive search} (a scan of archive
 * files, no engine involved). The query is first checked by the real {@link KqlParser}, so syntax
 * errors are the same as in search; then this class evaluates the subset below, approximating
 * what the engine would find:
 *
 * <ul>
 *   <li>{@code and}, {@code or}, {@code not}, parentheses, and value groups {@code f:(a or b)};
 *   <li>{@code f:v} — keyword fields exactly (case-sensitive), {@code *} as a wildcard over the
 *       whole value; numeric fields by value; booleans; text fields ({@code prompt},
 *       {@code response}, ...) and unknown fields: every word must occur, case-insensitively, as
 *       a substring (so Chinese works without an analyzer); {@code f:"a b"} the phrase;
 *   <li>{@code f:*} — the field has a value; {@code f > v} (and {@code >= < <=}) — numbers, ISO-8601
 *       times on date fields, strings otherwise (date math such as {@code now-1d} is refused: the
 *       day range of the search is the time filter);
 *   <li>free text — words or a phrase in {@code prompt}, {@code system_prompt} or {@code response}.
 * </ul>
 *
 * Substring matching finds a little more than the engine's word matching ({@code refund} also
 * matches {@code refunds}). When the KQL matcher of the query package lands, {@link Lifecycle}
 * takes it in place of this class through {@code Lifecycle.filters(...)}.
 */
final class ArchiveQuery {
  private static final List<String> FREE_TEXT = List.of("prompt", "system_prompt", "response");
  private static final Map<String, FieldType> TYPES = types();

  private final String query;
  private final List<String> tokens = new ArrayList<>();
  private final List<Character> kinds = new ArrayList<>();
  private int at;

  private ArchiveQuery(String query) {
    this.query = query;
  }

  /**
   * @throws io.llmlog.server.query.kql.KqlSyntaxException when the query is not valid KQL
   * @throws LifecycleRequestException (400) when it uses what an archive scan cannot evaluate
   */
  static Predicate<JsonNode> compile(String kql) {
    String text = kql == null ? "" : kql;
    new KqlParser().toQuery(text);
    ArchiveQuery parser = new ArchiveQuery(text);
    parser.lex();
    if (parser.kinds.isEmpty()) {
      return document -> true;
    }
    Predicate<JsonNode> predicate = parser.or();
    if (parser.at < parser.kinds.size()) {
      throw unsupported("unexpected '" + parser.tokens.get(parser.at) + "'");
    }
    return predicate;
  }

  private static Map<String, FieldType> types() {
    Map<String, FieldType> types = new HashMap<>();
    for (QualityField field : QualityField.values()) {
      types.put(field.jsonName(), field.type());
    }
    for (LogField field : LogField.values()) {
      types.put(field.jsonName(), field.type());
    }
    return Map.copyOf(types);
  }

  // Tokens: '(' ')' ':' 'r' (range operator) 'q' (quoted) 'w' (word).
  private void lex() {
    int i = 0;
    while (i < query.length()) {
      char c = query.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')' || c == ':') {
        add(c, String.valueOf(c));
        i++;
      } else if (c == '<' || c == '>') {
        boolean equals = i + 1 < query.length() && query.charAt(i + 1) == '=';
        add('r', c + (equals ? "=" : ""));
        i += equals ? 2 : 1;
      } else if (c == '"') {
        StringBuilder value = new StringBuilder();
        i++;
        while (i < query.length() && query.charAt(i) != '"') {
          char d = query.charAt(i);
          if (d == '\\' && i + 1 < query.length()) {
            char e = query.charAt(++i);
            value.append(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
          } else {
            value.append(d);
          }
          i++;
        }
        add('q', value.toString());
        i++;
      } else {
        // A word keeps its escapes (a backslash before a character) so that an escaped * stays literal.
        StringBuilder word = new StringBuilder();
        while (i < query.length()) {
          char d = query.charAt(i);
          if (Character.isWhitespace(d) || "():<>\"".indexOf(d) >= 0) {
            break;
          }
          if (d == '\\' && i + 1 < query.length()) {
            word.append(d).append(query.charAt(i + 1));
            i += 2;
          } else {
            word.append(d);
            i++;
          }
        }
        add('w', word.toString());
      }
    }
  }

  private void add(char kind, String token) {
    kinds.add(kind);
    tokens.add(token);
  }

  private boolean keyword(String word) {
    return at < kinds.size() && kinds.get(at) == 'w' && tokens.get(at).equalsIgnoreCase(word);
  }

  private boolean isKeyword(int index) {
    if (kinds.get(index) != 'w') {
      return false;
    }
    String word = tokens.get(index).toLowerCase(Locale.ROOT);
    return word.equals("and") || word.equals("or") || word.equals("not");
  }

  private char kind(int offset) {
    return at + offset < kinds.size() ? kinds.get(at + offset) : 0;
  }

  private Predicate<JsonNode> or() {
    Predicate<JsonNode> left = and();
    while (keyword("or")) {
      at++;
      left = left.or(and());
    }
    return left;
  }

  private Predicate<JsonNode> and() {
    Predicate<JsonNode> left = not();
    while (keyword("and")) {
      at++;
      left = left.and(not());
    }
    return left;
  }

  private Predicate<JsonNode> not() {
    if (keyword("not")) {
      at++;
      return not().negate();
    }
    return primary();
  }

  private Predicate<JsonNode> primary() {
    if (kind(0) == '(') {
      at++;
      Predicate<JsonNode> inner = or();
      expect(')');
      return inner;
    }
    if ((kind(0) == 'w' || kind(0) == 'q') && kind(1) == ':') {
      String field = unescape(tokens.get(at));
      at += 2;
      return fieldValues(field);
    }
    if ((kind(0) == 'w' || kind(0) == 'q') && kind(1) == 'r') {
      String field = unescape(tokens.get(at));
      String op = tokens.get(at + 1);
      at += 2;
      if (kind(0) != 'w' && kind(0) != 'q') {
        throw unsupported("a value after " + op);
      }
      String value = kind(0) == 'w' ? unescape(tokens.get(at)) : tokens.get(at);
      at++;
      return range(field, op, value);
    }
    Value value = value();
    return document -> FREE_TEXT.stream().anyMatch(field -> textMatches(values(document, field), value));
  }

  /** After {@code field:}: a value or a group of values joined by and/or/not. */
  private Predicate<JsonNode> fieldValues(String field) {
    if (kind(0) == '(') {
      at++;
      Predicate<JsonNode> group = valueOr(field);
      expect(')');
      return group;
    }
    return is(field, value());
  }

  private Predicate<JsonNode> valueOr(String field) {
    Predicate<JsonNode> left = valueAnd(field);
    while (keyword("or")) {
      at++;
      left = left.or(valueAnd(field));
    }
    return left;
  }

  private Predicate<JsonNode> valueAnd(String field) {
    Predicate<JsonNode> left = valueNot(field);
    while (keyword("and")) {
      at++;
      left = left.and(valueNot(field));
    }
    return left;
  }

  private Predicate<JsonNode> valueNot(String field) {
    if (keyword("not")) {
      at++;
      return valueNot(field).negate();
    }
    if (kind(0) == '(') {
      at++;
      Predicate<JsonNode> inner = valueOr(field);
      expect(')');
      return inner;
    }
    return is(field, value());
  }

  /** A value as typed: quoted, or unquoted words running up to a keyword, a parenthesis or the end. */
  private record Value(String text, boolean quoted, Pattern wildcard) {}

  private Value value() {
    if (kind(0) == 'q') {
      return new Value(tokens.get(at++), true, null);
    }
    List<String> words = new ArrayList<>();
    while (kind(0) == 'w' && !isKeyword(at)) {
      words.add(tokens.get(at++));
    }
    if (words.isEmpty()) {
      throw unsupported(at < tokens.size() ? "unexpected '" + tokens.get(at) + "'" : "a value at the end");
    }
    String raw = String.join(" ", words);
    return new Value(unescape(raw), false, hasWildcard(raw) ? glob(raw) : null);
  }

  private void expect(char kind) {
    if (kind(0) != kind) {
      throw unsupported("'" + kind + "' expected");
    }
    at++;
  }

  private static Predicate<JsonNode> is(String field, Value value) {
    if (field.equals("*")) {
      return document -> FREE_TEXT.stream().anyMatch(f -> textMatches(values(document, f), value));
    }
    if (!value.quoted() && value.text().equals("*") && value.wildcard() != null) {
      return document -> !values(document, field).isEmpty();
    }
    FieldType type = TYPES.get(field);
    if (type == null && field.startsWith("metadata.")) {
      type = FieldType.KEYWORD;
    }
    if (type == null || type == FieldType.TEXT) {
      return document -> textMatches(values(document, field), value);
    }
    FieldType fieldType = type;
    return document -> values(document, field).stream().anyMatch(node -> equalsValue(node, fieldType, value));
  }

  private static boolean equalsValue(JsonNode node, FieldType type, Value value) {
    switch (type) {
      case INTEGER, FLOAT, DOUBLE -> {
        BigDecimal expected = number(value.text());
        return expected != null && node.isNumber() && node.decimalValue().compareTo(expected) == 0;
      }
      case BOOLEAN -> {
        return node.asText().equalsIgnoreCase(value.text());
      }
      case DATE -> {
        return node.asText().startsWith(value.text());
      }
      default -> {
        String text = node.asText();
        return value.wildcard() != null ? value.wildcard().matcher(text).matches() : text.equals(value.text());
      }
    }
  }

  private static boolean textMatches(List<JsonNode> nodes, Value value) {
    for (JsonNode node : nodes) {
      String text = node.asText().toLowerCase(Locale.ROOT);
      if (value.quoted()) {
        if (text.replaceAll("\\s+", " ").contains(value.text().toLowerCase(Locale.ROOT).replaceAll("\\s+", " "))) {
          return true;
        }
        continue;
      }
      boolean all = true;
      for (String word : value.text().toLowerCase(Locale.ROOT).split("\\s+")) {
        if (word.isEmpty()) {
          continue;
        }
        boolean found = word.contains("*") ? glob(word).matcher(text).find() : text.contains(word);
        if (!found) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  private static Predicate<JsonNode> range(String field, String op, String value) {
    FieldType type = TYPES.getOrDefault(field, null);
    BigDecimal number = number(value);
    if (type == FieldType.DATE) {
      long bound;
      try {
        bound = Timestamps.parse(value).toEpochMilli();
      } catch (InvalidFieldException e) {
        throw new LifecycleRequestException(400, "archive search compares " + field + " with ISO-8601 times only, not '" + value
            + "' (date math is not evaluated there; the days to search are the range's bounds)");
      }
      return document -> values(document, field).stream().anyMatch(node -> {
        try {
          return compare(Long.compare(Timestamps.parse(node.asText()).toEpochMilli(), bound), op);
        } catch (InvalidFieldException unreadable) {
          return false;
        }
      });
    }
    if (number != null) {
      return document -> values(document, field).stream().anyMatch(node -> node.isNumber() && compare(node.decimalValue().compareTo(number), op));
    }
    return document -> values(document, field).stream().anyMatch(node -> compare(node.asText().compareTo(value), op));
  }

  private static boolean compare(int comparison, String op) {
    return switch (op) {
      case "<" -> comparison < 0;
      case "<=" -> comparison <= 0;
      case ">" -> comparison > 0;
      default -> comparison >= 0;
    };
  }

  /** The values of a dotted field: a flat key first ({@code "error.type"}), then the path; arrays give each element. */
  static List<JsonNode> values(JsonNode document, String field) {
    JsonNode node = document.get(field);
    if (node == null) {
      node = document;
      for (String part : field.split("\\.")) {
        node = node == null ? null : node.get(part);
      }
    }
    List<JsonNode> values = new ArrayList<>();
    if (node == null || node.isNull() || node.isMissingNode()) {
      return values;
    }
    if (node.isArray()) {
      node.forEach(element -> {
        if (!element.isNull()) {
          values.add(element);
        }
      });
    } else {
      values.add(node);
    }
    return values;
  }

  private static BigDecimal number(String text) {
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean hasWildcard(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '*') {
        return true;
      }
    }
    return false;
  }

  /** A raw word with escapes as a regex: unescaped {@code *} is any run of characters. */
  private static Pattern glob(String raw) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        regex.append(Pattern.quote(String.valueOf(raw.charAt(++i))));
      } else if (c == '*') {
        regex.append(".*");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  private static String unescape(String raw) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        out.append(raw.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static LifecycleRequestException unsupported(String what) {
    return new LifecycleRequestException(400, "archive search cannot evaluate this query: " + what);
  }
}
