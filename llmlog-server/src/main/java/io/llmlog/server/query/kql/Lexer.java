package io.llmlog.server.query.kql;

import io.llmlog.server.query.kql.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a KQL query into tokens, following the character rules of Kibana's grammar ({@code
 * kbn-es-query/src/kuery/grammar/grammar.peggy}).
 *
 * <p>The subtle part is that an unquoted value may contain spaces ({@code prompt:refund please} is
 * one value, "refund please"): a space ends a value only when what follows is a keyword, a special
 * character or the end. Keywords are {@code and}, {@code or} and {@code not} in any case, as whole
 * words (see {@link #keywordLength}); {@code not} counts only where a token or word starts, so
 * {@code cannot be} stays one value (Kibana's grammar stops at the {@code not} inside {@code
 * cannot}).
 *
 * <p>Runs in linear time: each character is looked at a bounded number of times (a run of spaces at
 * most twice: once to look past it, once more if the value ends there).
 */
final class Lexer {
  /** Characters that end an unquoted value unless escaped; {@code *} is the wildcard. */
  private static final String SPECIAL = "\\():<>\"*{}";

  private static final List<String> KEYWORDS = List.of("and", "or", "not");

  private final String query;
  private int pos;

  Lexer(String query) {
    this.query = query;
  }

  Token next() {
    while (pos < query.length() && isSpace(query.charAt(pos))) {
      pos++;
    }
    int start = pos;
    if (start == query.length()) {
      return new Token(Kind.EOF, start, start, "", null);
    }
    char c = query.charAt(start);
    switch (c) {
      case '(':
        return single(Kind.LPAREN);
      case ')':
        return single(Kind.RPAREN);
      case '{':
        return single(Kind.LBRACE);
      case '}':
        return single(Kind.RBRACE);
      case ':':
        return single(Kind.COLON);
      case '<', '>':
        pos += start + 1 < query.length() && query.charAt(start + 1) == '=' ? 2 : 1;
        return new Token(Kind.RANGE, start, pos, query.substring(start, pos), null);
      case '"':
        return quoted();
      default:
        int keyword = keywordLength(start);
        if (keyword > 0) {
          pos += keyword;
          String image = query.substring(start, pos);
          Kind kind =
              image.length() == 2 ? Kind.OR : image.equalsIgnoreCase("and") ? Kind.AND : Kind.NOT;
          return new Token(kind, start, pos, image, null);
        }
        return unquoted();
    }
  }

  private Token single(Kind kind) {
    pos++;
    return new Token(kind, pos - 1, pos, query.substring(pos - 1, pos), null);
  }

  /**
   * The length of the keyword at {@code i}, or 0. A keyword must be followed by whitespace, a
   * parenthesis or the end; {@code and}/{@code or} must also follow whitespace or {@code )}, so
   * {@code and b} at the start is a value, as in Kibana.
   *
   * <p>Kibana only takes whitespace after a keyword: there {@code level:error or} searches for the
   * value "error or" and {@code not(a)} is an error. Here both are what they look like (the first
   * an error asking for a query after 'or'); only inputs Kibana would misread or reject differ.
   */
  private int keywordLength(int i) {
    for (String keyword : KEYWORDS) {
      int end = i + keyword.length();
      if (end <= query.length()
          && query.regionMatches(true, i, keyword, 0, keyword.length())
          && (end == query.length()
              || isSpace(query.charAt(end))
              || isParenthesis(query.charAt(end)))
          && (keyword.equals("not")
              || (i > 0 && (isSpace(query.charAt(i - 1)) || query.charAt(i - 1) == ')')))) {
        return keyword.length();
      }
    }
    return 0;
  }

  /**
   * Kibana's QuotedString: only {@code \" \\ \t \r \n \}uXXXX are escapes; any other backslash is
   * kept.
   */
  private Token quoted() {
    int start = pos++;
    StringBuilder value = new StringBuilder();
    while (pos < query.length()) {
      char c = query.charAt(pos);
      if (c == '"') {
        pos++;
        return new Token(
            Kind.LITERAL,
            start,
            pos,
            query.substring(start, pos),
            Ast.Literal.quoted(value.toString(), start, pos));
      }
      if (c == '\\' && pos + 1 < query.length()) {
        char e = query.charAt(pos + 1);
        int unicode = unicodeEscape(pos);
        if (e == '"' || e == '\\') {
          value.append(e);
          pos += 2;
          continue;
        } else if (e == 't' || e == 'r' || e == 'n') {
          value.append(e == 't' ? '\t' : e == 'r' ? '\r' : '\n');
          pos += 2;
          continue;
        } else if (unicode >= 0) {
          value.append((char) unicode);
          pos += 6;
          continue;
        }
      }
      value.append(c);
      pos++;
    }
    throw KqlSyntaxException.expected(
        query, start, "a closing '\"' for the quote that starts here");
  }

  private Token unquoted() {
    int start = pos;
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    int end = pos;
    while (pos < query.length()) {
      char c = query.charAt(pos);
      if (c == '\\') {
        escape(part);
      } else if (c == '*') {
        parts.add(part.toString());
        part.setLength(0);
        pos++;
      } else if (SPECIAL.indexOf(c) >= 0) {
        break;
      } else if (isSpace(c)) {
        int after = pos;
        while (after < query.length() && isSpace(query.charAt(after))) {
          after++;
        }
        // Trailing spaces are not part of the value; neither are spaces before a keyword.
        if (after == query.length() || endsValue(query.charAt(after)) || keywordLength(after) > 0) {
          break;
        }
        part.append(query, pos, after);
        pos = after;
      } else {
        part.append(c);
        pos++;
      }
      end = pos;
    }
    parts.add(part.toString());
    pos = end;
    return new Token(
        Kind.LITERAL,
        start,
        end,
        query.substring(start, end),
        new Ast.Literal(parts, false, start, end));
  }

  private static boolean isParenthesis(char c) {
    return c == '(' || c == ')';
  }

  private static boolean endsValue(char c) {
    return c != '\\' && c != '*' && SPECIAL.indexOf(c) >= 0;
  }

  /**
   * Kibana's escapes in unquoted values: special characters, {@code \t \r \n}, {@code \}uXXXX and
   * the keywords ({@code \and \or \not}). Keywords are tried before {@code \n}, so that {@code
   * \not} means the word "not" (Kibana reads it as a newline and "ot").
   */
  private void escape(StringBuilder part) {
    int backslash = pos;
    if (pos + 1 == query.length()) {
      throw KqlSyntaxException.expected(query, backslash, "a character to escape after '\\'");
    }
    char e = query.charAt(pos + 1);
    for (String keyword : KEYWORDS) {
      if (query.regionMatches(true, pos + 1, keyword, 0, keyword.length())) {
        part.append(query, pos + 1, pos + 1 + keyword.length());
        pos += 1 + keyword.length();
        return;
      }
    }
    int unicode = unicodeEscape(pos);
    if (SPECIAL.indexOf(e) >= 0) {
      part.append(e);
      pos += 2;
    } else if (e == 't' || e == 'r' || e == 'n') {
      part.append(e == 't' ? '\t' : e == 'r' ? '\r' : '\n');
      pos += 2;
    } else if (unicode >= 0) {
      part.append((char) unicode);
      pos += 6;
    } else {
      throw KqlSyntaxException.expected(
          query,
          backslash,
          "an escapable character after '\\': one of \\ ( ) : < > \" * { }, t, r, n, uXXXX, and, or, not");
    }
  }

  /** The character of a {@code \}uXXXX escape at {@code backslash}, or -1. */
  private int unicodeEscape(int backslash) {
    if (backslash + 6 > query.length() || query.charAt(backslash + 1) != 'u') {
      return -1;
    }
    int value = 0;
    for (int i = backslash + 2; i < backslash + 6; i++) {
      // ASCII only: Character.digit would also take full-width digits.
      char c = query.charAt(i);
      int digit = c < 128 ? Character.digit(c, 16) : -1;
      if (digit < 0) {
        return -1;
      }
      value = value * 16 + digit;
    }
    return value;
  }

  /** Kibana's whitespace: space, tab, CR, LF and the no-break space. */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\u00A0';
  }
}
