package io.llmlog.server.alert;

import io.llmlog.server.live.LiveSettings;
import io.llmlog.server.query.kql.KqlParser;
import io.llmlog.server.query.kql.KqlSyntaxException;
import java.util.List;

/**
 * Parses a rule's condition:
 *
 * <pre>
 * condition  = expr ( "&gt;" | "&gt;=" | "&lt;" | "&lt;=" | "==" | "!=" ) expr
 * expr       = term { ( "+" | "-" ) term }
 * term       = unary { ( "*" | "/" ) unary }
 * unary      = "-" unary | primary
 * primary    = number | "(" expr ")" | function
 * function   = "count" "(" ( "all" | "errors" | KQL ) ")"
 *            | ( "sum" | "avg" | "min" | "max" ) "(" numeric-field ")"     numeric-field: a call's, or scores.&lt;name&gt;
 *            | "percentile" "(" numeric-field "," number ")"     0 &lt; number &lt;= 100
 * </pre>
 *
 * The argument of {@code count} is everything up to its closing parenthesis (parentheses inside
 * balanced, quoted strings skipped), parsed as KQL by the search's parser, so a rule filter means
 * the same as in the search box.
 */
final class ConditionParser {
  static final List<String> FUNCTIONS = List.of("count", "sum", "avg", "min", "max", "percentile");

  private final KqlParser kql;

  ConditionParser(KqlParser kql) {
    this.kql = kql;
  }

  /** A condition that cannot be parsed; {@code column} is 1-based. */
  static final class ConditionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int column;

    ConditionException(String message, int column) {
      super(message + " at column " + column);
      this.column = column;
    }

    int column() {
      return column;
    }
  }

  Condition parse(String text) {
    return new Parse(text).condition();
  }

  private final class Parse {
    private final String text;
    private int pos;

    Parse(String text) {
      this.text = text;
    }

    Condition condition() {
      skipSpaces();
      if (pos == text.length()) {
        throw error("the condition is empty; write e.g. count(errors) / count(all) > 0.05", pos);
      }
      Condition.Expr left = expr();
      skipSpaces();
      int at = pos;
      String operator = comparison();
      if (operator == null) {
        throw error(
            pos == text.length()
                ? "a condition needs a comparison (>, >=, <, <=, ==, !=), e.g. ... > 0.05"
                : "unexpected '" + rest() + "'; expected an operator or a comparison",
            at);
      }
      Condition.Expr right = expr();
      skipSpaces();
      if (pos < text.length()) {
        throw error(
            comparison() != null
                ? "only one comparison is allowed"
                : "unexpected '" + rest() + "' after the condition",
            pos);
      }
      return new Condition(text.trim(), left, operator, right);
    }

    private String comparison() {
      for (String operator : List.of(">=", "<=", "==", "!=", ">", "<")) {
        if (text.startsWith(operator, pos)) {
          pos += operator.length();
          return operator;
        }
      }
      if (pos < text.length() && text.charAt(pos) == '=') {
        throw error("'=' is not a comparison; use '=='", pos);
      }
      return null;
    }

    private Condition.Expr expr() {
      Condition.Expr left = term();
      while (true) {
        skipSpaces();
        if (peek('+') || peek('-')) {
          char operator = text.charAt(pos++);
          left = new Condition.Binary(operator, left, term());
        } else {
          return left;
        }
      }
    }

    private Condition.Expr term() {
      Condition.Expr left = unary();
      while (true) {
        skipSpaces();
        if (peek('*') || peek('/')) {
          char operator = text.charAt(pos++);
          left = new Condition.Binary(operator, left, unary());
        } else {
          return left;
        }
      }
    }

    private Condition.Expr unary() {
      skipSpaces();
      if (peek('-')) {
        pos++;
        return new Condition.Negate(unary());
      }
      return primary();
    }

    private Condition.Expr primary() {
      skipSpaces();
      if (pos == text.length()) {
        throw error("the condition ends early; expected a number, a function or '('", pos);
      }
      char c = text.charAt(pos);
      if (c == '(') {
        int open = pos++;
        Condition.Expr inner = expr();
        skipSpaces();
        if (!peek(')')) {
          throw error("expected ')' to close the '(' at column " + (open + 1), pos);
        }
        pos++;
        return inner;
      }
      if (Character.isDigit(c) || c == '.') {
        return new Condition.Number(number());
      }
      if (Character.isLetter(c) || c == '_') {
        return function();
      }
      throw error("unexpected '" + c + "'; expected a number, a function or '('", pos);
    }

    private double number() {
      int start = pos;
      while (pos < text.length()
          && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
        pos++;
      }
      if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
        pos++;
        if (peek('+') || peek('-')) {
          pos++;
        }
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
          pos++;
        }
      }
      try {
        return Double.parseDouble(text.substring(start, pos));
      } catch (NumberFormatException e) {
        throw error("'" + text.substring(start, pos) + "' is not a number", start);
      }
    }

    private Condition.Expr function() {
      int start = pos;
      String name = identifier();
      skipSpaces();
      if (!peek('(')) {
        throw error(
            "'"
                + name
                + "' is not a number or a function call; functions are "
                + String.join(", ", FUNCTIONS)
                + (name.endsWith("_ms") || name.endsWith("_tokens")
                    ? " (did you mean avg(" + name + ") or percentile(" + name + ", 95)?)"
                    : ""),
            start);
      }
      if (!FUNCTIONS.contains(name)) {
        throw error(
            "unknown function '" + name + "' (functions: " + String.join(", ", FUNCTIONS) + ")",
            start);
      }
      pos++;
      return switch (name) {
        case "count" -> count();
        case "percentile" -> {
          String field = field(name);
          skipSpaces();
          if (!peek(',')) {
            throw error(
                "percentile needs a field and a percentile, e.g. percentile(latency_ms, 95)", pos);
          }
          pos++;
          skipSpaces();
          int at = pos;
          if (pos == text.length()
              || !(Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            throw error("percentile needs a number between 0 and 100 as its second argument", at);
          }
          double percentile = number();
          if (!(percentile > 0 && percentile <= 100)) {
            throw error(
                "the percentile must be greater than 0 and at most 100, was " + format(percentile),
                at);
          }
          close(name);
          yield new Condition.Percentile(field, percentile);
        }
        default -> {
          String field = field(name);
          close(name);
          yield new Condition.FieldFunction(name, field);
        }
      };
    }

    private String field(String function) {
      skipSpaces();
      int start = pos;
      String field =
          pos < text.length() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_')
              ? identifier()
              : "";
      if (field.isEmpty()) {
        throw error(
            function + "() needs a numeric field, e.g. " + function + "(latency_ms)", start);
      }
      if (field.startsWith(ScoreRules.PREFIX) && field.length() > ScoreRules.PREFIX.length()) {
        return field;
      }
      String problem = LiveSettings.numericFieldProblem(field);
      if (problem != null) {
        throw error(problem, start);
      }
      return field;
    }

    private void close(String function) {
      skipSpaces();
      if (!peek(')')) {
        throw error("expected ')' to close " + function + "(", pos);
      }
      pos++;
    }

    /** count's argument: all, errors, or KQL up to the matching ')'. */
    private Condition.Expr count() {
      int start = pos;
      int depth = 0;
      boolean quoted = false;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (quoted) {
          if (c == '\\') {
            pos++;
          } else if (c == '"') {
            quoted = false;
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == '\\') {
          pos++;
        } else if (c == '(') {
          depth++;
        } else if (c == ')') {
          if (depth == 0) {
            break;
          }
          depth--;
        }
        pos++;
      }
      if (pos >= text.length()) {
        throw error("expected ')' to close count(", text.length());
      }
      String raw = text.substring(start, pos);
      String argument = raw.trim();
      int argumentStart = start + raw.length() - raw.stripLeading().length();
      pos++;
      if (argument.isEmpty()) {
        throw error("count() needs all, errors or a KQL filter, e.g. count(level:error)", start);
      }
      if (argument.equals("all")) {
        return new Condition.Count(null, false);
      }
      if (argument.equals("errors")) {
        return new Condition.Count(null, true);
      }
      try {
        kql.toMatcher(argument);
      } catch (KqlSyntaxException e) {
        throw error(
            "bad KQL filter in count(" + argument + "): " + e.reason(),
            argumentStart + Math.min(e.position(), argument.length()));
      }
      return new Condition.Count(argument, false);
    }

    private String identifier() {
      int start = pos;
      while (pos < text.length()
          && (Character.isLetterOrDigit(text.charAt(pos))
              || text.charAt(pos) == '_'
              || text.charAt(pos) == '.')) {
        pos++;
      }
      return text.substring(start, pos);
    }

    private boolean peek(char c) {
      return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpaces() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private String rest() {
      String rest = text.substring(pos).trim();
      return rest.length() > 20 ? rest.substring(0, 20) + "..." : rest;
    }

    private ConditionException error(String message, int at) {
      return new ConditionException(message, at + 1);
    }
  }

  static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
