package io.llmlog.server.query.kql;

import java.util.Objects;

/**
 * One token of a KQL query.
 *
 * @param image the source text of the token, as typed (so {@code AND} stays upper case in messages)
 * @param literal the resolved value of a {@link Kind#LITERAL}, else null
 */
record Token(Kind kind, int start, int end, String image, Ast.Literal literal) {
  Token {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(image, "image");
  }

  enum Kind {
    LPAREN,
    RPAREN,
    LBRACE,
    RBRACE,
    COLON,
    /** One of {@code < <= > >=}. */
    RANGE,
    AND,
    OR,
    NOT,
    /** A quoted string or an unquoted value (which may hold spaces and wildcards). */
    LITERAL,
    EOF
  }

  boolean is(Kind other) {
    return kind == other;
  }

  /** The DSL name of a range operator. */
  String rangeOp() {
    return switch (image) {
      case "<" -> "lt";
      case "<=" -> "lte";
      case ">" -> "gt";
      case ">=" -> "gte";
      default -> throw new IllegalStateException("not a range operator: " + image);
    };
  }
}
