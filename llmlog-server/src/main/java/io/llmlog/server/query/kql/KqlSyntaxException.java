package io.llmlog.server.query.kql;

/**
 * A KQL query that cannot be turned into a search: bad syntax, a value of the wrong type for its
 * field, or a query over the size limits. It says where ({@link #position()}) and what would have
 * been accepted there ({@link #expected()}), so that the search box can underline the spot.
 *
 * <p>The message reads {@code KQL syntax error at position 12: expected a value after ':'} (or
 * {@code KQL error at position 0: range needs a numeric or date field: model} when the syntax is
 * fine but the field does not fit), followed by the query with a caret under the position.
 */
public final class KqlSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Enough context for a search box; longer queries are shown as a window around the error. */
  private static final int SNIPPET_RADIUS = 40;

  private final int position;
  private final String expected;
  private final String reason;

  private KqlSyntaxException(
      String prefix, String query, int position, String expected, String reason) {
    super(prefix + " at position " + position + ": " + reason + "\n" + snippet(query, position));
    this.position = position;
    this.expected = expected;
    this.reason = reason;
  }

  /** A grammar error: the parser wanted {@code expected} at {@code position}. */
  static KqlSyntaxException expected(String query, int position, String expected) {
    return new KqlSyntaxException(
        "KQL syntax error", query, position, expected, "expected " + expected);
  }

  /** A grammar error with its own wording, such as an unknown operator. */
  static KqlSyntaxException syntax(String query, int position, String reason, String expected) {
    return new KqlSyntaxException("KQL syntax error", query, position, expected, reason);
  }

  /** Well-formed KQL that does not fit the fields, such as a range over a keyword field. */
  static KqlSyntaxException invalid(String query, int position, String reason, String expected) {
    return new KqlSyntaxException("KQL error", query, position, expected, reason);
  }

  /**
   * The 0-based offset of the error in the query, counted in UTF-16 code units like Java and
   * JavaScript string indices, so a browser can use it as is. Equal to the query's length when the
   * query ended too early.
   */
  public int position() {
    return position;
  }

  /** What would have been accepted at {@link #position()}, e.g. {@code a value after ':'}. */
  public String expected() {
    return expected;
  }

  /** The one-line problem statement, without the position prefix and the snippet. */
  public String reason() {
    return reason;
  }

  /** The query on one line with a caret under the position; tabs and newlines become spaces. */
  static String snippet(String query, int position) {
    int from = Math.max(0, position - SNIPPET_RADIUS);
    int to = Math.min(query.length(), position + SNIPPET_RADIUS);
    String head = from > 0 ? "..." : "";
    String tail = to < query.length() ? "..." : "";
    StringBuilder line = new StringBuilder("  ").append(head);
    for (int i = from; i < to; i++) {
      char c = query.charAt(i);
      line.append(Character.isISOControl(c) ? ' ' : c);
    }
    line.append(tail).append('\n');
    line.append(" ".repeat(2 + head.length() + position - from)).append('^');
    return line.toString();
  }
}
