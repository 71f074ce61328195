package io.llmlog.server.query.kql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.server.query.kql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a KQL (Kibana Query Language) query into the engine's query DSL. See the package
 * documentation for the syntax and the DSL each construct becomes.
 *
 * <p>Immutable and thread-safe; one instance serves every request.
 *
 * <pre>{@code
 * ObjectNode query = new KqlParser().toQuery("model:gpt-4 and latency_ms > 5000 and 退款");
 * }</pre>
 */
public final class KqlParser {
  /**
   * Longer queries are refused before parsing: no search box needs more, and it bounds the work.
   */
  public static final int MAX_QUERY_LENGTH = 10_000;

  /** Deeper parentheses are refused, so hostile input cannot exhaust the stack. */
  public static final int MAX_DEPTH = 100;

  /** {@code latency_ms = 5}, {@code latency_ms != 5}: a known field, then an operator KQL lacks. */
  private static final Pattern FOREIGN_OPERATOR =
      Pattern.compile("^([\\p{L}\\p{N}_.@]++)\\s*+(==|!=|=)");

  /**
   * The key that wraps the query of a clause on a quality field ({@code {"llmlog_quality": {...}}})
   * when the resolver joins it: not an engine query, the caller replaces it with the calls whose
   * quality records match the wrapped query.
   */
  public static final String QUALITY_JOIN = "llmlog_quality";

  private final FieldResolver fields;
  private final boolean caseInsensitiveKeywords;

  /** The llm-logs schema ({@link FieldResolver#logFields()}); keyword matches are exact. */
  public KqlParser() {
    this(FieldResolver.logFields(), false);
  }

  /**
   * @param fields how fields are indexed
   * @param caseInsensitiveKeywords add {@code case_insensitive: true} to term and wildcard queries
   *     on keyword fields, so that {@code model:GPT-4*} finds {@code gpt-4o}; off by default, as in
   *     Kibana
   */
  public KqlParser(FieldResolver fields, boolean caseInsensitiveKeywords) {
    this.fields = Objects.requireNonNull(fields, "fields");
    this.caseInsensitiveKeywords = caseInsensitiveKeywords;
  }

  /**
   * The query DSL for a KQL query: an object such as {@code {"bool":{"filter":[...]}}}, ready to be
   * the {@code query} of a search request. A blank query or {@code *} is {@code match_all}.
   *
   * @throws KqlSyntaxException when the query is malformed, too long or too deep, or a value does
   *     not fit its field (a range over a keyword field, a word where a number is needed)
   */
  public ObjectNode toQuery(String kql) {
    Objects.requireNonNull(kql, "kql");
    if (kql.length() > MAX_QUERY_LENGTH) {
      throw KqlSyntaxException.syntax(
          kql,
          MAX_QUERY_LENGTH,
          "query is longer than " + MAX_QUERY_LENGTH + " characters",
          "at most " + MAX_QUERY_LENGTH + " characters");
    }
    Ast ast = new Parse(kql).query();
    return new DslWriter(kql, fields, caseInsensitiveKeywords).write(ast);
  }

  /**
   * The same query as a predicate over one record in memory ({@link KqlMatcher}), with the meaning
   * {@link #toQuery} gives it in the engine. Used where records are seen one at a time, such as the
   * live aggregates behind alert rules. Stricter than a search: every field must be known to the
   * resolver, and date fields are refused.
   *
   * @throws KqlSyntaxException as {@link #toQuery}, and for an unknown or date field
   */
  public KqlMatcher toMatcher(String kql) {
    // The engine's checks first, so that a filter is valid in both places or in neither.
    toQuery(kql);
    return new MemoryMatcher(kql, fields).compile(new Parse(kql).query());
  }

  /** The state of one parse: recursive descent over Kibana's grammar, one token of lookahead. */
  private final class Parse {
    private final String query;
    private final Lexer lexer;
    private Token current;
    private Token previous;
    private int depth;

    Parse(String query) {
      this.query = query;
      this.lexer = new Lexer(query);
      this.current = lexer.next();
    }

    // query := or? EOF
    Ast query() {
      if (current.is(Kind.EOF)) {
        return new Ast.MatchAll();
      }
      Ast result = or();
      if (!current.is(Kind.EOF)) {
        throw unexpected("'and', 'or' or the end of the query");
      }
      return result;
    }

    // or := and (OR and)*
    private Ast or() {
      List<Ast> children = new ArrayList<>();
      children.add(and());
      while (current.is(Kind.OR)) {
        advance();
        children.add(and());
      }
      return children.size() == 1 ? children.get(0) : new Ast.Or(children);
    }

    // and := not (AND not)*
    private Ast and() {
      List<Ast> children = new ArrayList<>();
      children.add(not());
      while (current.is(Kind.AND)) {
        advance();
        children.add(not());
      }
      return children.size() == 1 ? children.get(0) : new Ast.And(children);
    }

    // not := NOT sub | sub   (as in Kibana, "not not a" needs parentheses: "not (not a)")
    private Ast not() {
      if (current.is(Kind.NOT)) {
        advance();
        return new Ast.Not(sub());
      }
      return sub();
    }

    // sub := '(' or ')' | expression
    private Ast sub() {
      if (current.is(Kind.LPAREN)) {
        Token open = current;
        enter(open);
        advance();
        Ast inner = or();
        close(open);
        return inner;
      }
      if (current.is(Kind.LITERAL)) {
        return expression();
      }
      throw KqlSyntaxException.expected(query, current.start(), after("a query"));
    }

    // expression := LITERAL ':' values | LITERAL RANGE LITERAL | LITERAL
    private Ast expression() {
      Token literal = current;
      advance();
      if (current.is(Kind.COLON)) {
        Ast.Field field = field(literal);
        advance();
        if (current.is(Kind.LBRACE)) {
          throw KqlSyntaxException.syntax(
              query,
              current.start(),
              "nested queries (field:{...}) are not supported",
              "a value or '(' after ':'");
        }
        return values(field);
      }
      if (current.is(Kind.RANGE)) {
        Ast.Field field = field(literal);
        Token op = current;
        advance();
        if (current.is(Kind.RANGE)) {
          throw unknownOperator(op.start(), op.image() + current.image());
        }
        if (!current.is(Kind.LITERAL)) {
          throw KqlSyntaxException.expected(query, current.start(), after("a value"));
        }
        Ast.Literal value = current.literal();
        advance();
        return new Ast.Range(field, op.rangeOp(), value);
      }
      if (!literal.literal().quoted()) {
        rejectForeignOperator(literal);
      }
      return new Ast.Is(null, literal.literal());
    }

    // values := '(' orValues ')' | LITERAL, with orValues/andValues/notValues as for queries
    private Ast values(Ast.Field field) {
      if (current.is(Kind.LPAREN)) {
        Token open = current;
        enter(open);
        advance();
        Ast inner = orValues(field);
        close(open);
        return inner;
      }
      if (current.is(Kind.LITERAL)) {
        Ast.Literal value = current.literal();
        advance();
        return new Ast.Is(field, value);
      }
      throw KqlSyntaxException.expected(query, current.start(), after("a value"));
    }

    private Ast orValues(Ast.Field field) {
      List<Ast> children = new ArrayList<>();
      children.add(andValues(field));
      while (current.is(Kind.OR)) {
        advance();
        children.add(andValues(field));
      }
      return children.size() == 1 ? children.get(0) : new Ast.Or(children);
    }

    private Ast andValues(Ast.Field field) {
      List<Ast> children = new ArrayList<>();
      children.add(notValues(field));
      while (current.is(Kind.AND)) {
        advance();
        children.add(notValues(field));
      }
      return children.size() == 1 ? children.get(0) : new Ast.And(children);
    }

    private Ast notValues(Ast.Field field) {
      if (current.is(Kind.NOT)) {
        advance();
        return new Ast.Not(values(field));
      }
      return values(field);
    }

    /**
     * The field of {@code field:value} or {@code field > value}, checked for what cannot be a name.
     */
    private Ast.Field field(Token token) {
      Ast.Literal literal = token.literal();
      if (literal.quoted()) {
        if (literal.text().isEmpty()) {
          throw KqlSyntaxException.expected(
              query, token.start(), "a field name before '" + current.image() + "'");
        }
        return new Ast.Field(literal.text(), token.start());
      }
      // What is left of latency_ms => 5 or latency_ms != 5 in front of the ':', '<' or '>'.
      String image = token.image();
      int operator = image.length();
      while (operator > 0
          && (image.charAt(operator - 1) == '=' || image.charAt(operator - 1) == '!')) {
        operator--;
      }
      if (operator < image.length()) {
        throw unknownOperator(
            token.start() + operator, image.substring(operator) + current.image());
      }
      if (literal.isLoneWildcard()) {
        return new Ast.Field("*", token.start());
      }
      if (literal.hasWildcard()) {
        throw KqlSyntaxException.syntax(
            query,
            token.start(),
            "wildcards in field names are not supported: " + token.image(),
            "a field name without '*'");
      }
      for (int i = 0; i < token.image().length(); i++) {
        if (Lexer.isSpace(token.image().charAt(i))) {
          throw KqlSyntaxException.syntax(
              query,
              token.start(),
              "'"
                  + token.image()
                  + "' is not a field name; to search for text that contains '"
                  + current.image()
                  + "', quote it or escape it as \\"
                  + current.image(),
              "a field name without spaces");
        }
      }
      return new Ast.Field(literal.text(), token.start());
    }

    /** {@code latency_ms = 5} is free text to Kibana; for a known field it is surely a mistake. */
    private void rejectForeignOperator(Token token) {
      Matcher m = FOREIGN_OPERATOR.matcher(token.image());
      if (m.find() && fields.typeOf(m.group(1)) != null) {
        throw unknownOperator(token.start() + m.start(2), m.group(2));
      }
    }

    private KqlSyntaxException unknownOperator(int position, String operator) {
      String hint = operator.startsWith("!") ? "'not field:value'" : "':' or one of <, <=, >, >=";
      return KqlSyntaxException.syntax(
          query, position, "unknown operator '" + operator + "', use " + hint, hint);
    }

    private void enter(Token open) {
      if (++depth > MAX_DEPTH) {
        throw KqlSyntaxException.syntax(
            query,
            open.start(),
            "parentheses nested deeper than " + MAX_DEPTH + " levels",
            "at most " + MAX_DEPTH + " nested parentheses");
      }
    }

    private void close(Token open) {
      if (!current.is(Kind.RPAREN)) {
        throw current.is(Kind.EOF)
            ? KqlSyntaxException.expected(
                query, current.start(), "a closing ')' for the '(' at position " + open.start())
            : unexpected("'and', 'or' or ')'");
      }
      depth--;
      advance();
    }

    /** A token where an expression could have ended, with a hint for the usual slips. */
    private KqlSyntaxException unexpected(String expected) {
      if (current.is(Kind.NOT)) {
        return KqlSyntaxException.expected(
            query,
            current.start(),
            expected + " (write 'and not', or quote text that contains 'not')");
      }
      // Usually an unquoted time: timestamp > 2026-05-01T08:30:00Z.
      if (current.is(Kind.COLON)) {
        return KqlSyntaxException.expected(
            query, current.start(), expected + " (quote values that contain ':')");
      }
      return KqlSyntaxException.expected(query, current.start(), expected);
    }

    /** "a value after ':'", or just "a value" at the start of the query. */
    private String after(String what) {
      return previous == null ? what : what + " after '" + previous.image() + "'";
    }

    private void advance() {
      previous = current;
      current = lexer.next();
    }
  }
}
