package io.llmlog.server.query.kql;

import java.util.List;
import java.util.Objects;

/**
 * A parsed KQL query, before the field types are looked at. Kept apart from the DSL so that the
 * grammar and the mapping to the engine can be read (and changed) one at a time.
 */
sealed interface Ast {

  /** The empty query, {@code *} and {@code *:*}. */
  record MatchAll() implements Ast {}

  record And(List<Ast> children) implements Ast {
    public And {
      children = List.copyOf(children);
    }
  }

  record Or(List<Ast> children) implements Ast {
    public Or {
      children = List.copyOf(children);
    }
  }

  record Not(Ast child) implements Ast {
    public Not {
      Objects.requireNonNull(child, "child");
    }
  }

  /** {@code field:value}; a free-text value when {@code field} is null. */
  record Is(Field field, Literal value) implements Ast {
    public Is {
      Objects.requireNonNull(value, "value");
    }
  }

  /** {@code field > value}; {@code op} is the DSL's name for it: gt, gte, lt or lte. */
  record Range(Field field, String op, Literal value) implements Ast {
    public Range {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(value, "value");
    }
  }

  /** A field name as written, and where, for error messages. {@code *} means every field. */
  record Field(String name, int position) {
    public Field {
      Objects.requireNonNull(name, "name");
    }

    boolean isAllFields() {
      return name.equals("*");
    }
  }

  /**
   * A value with its escapes resolved. An unquoted {@code *} splits the value into parts, so a
   * value without wildcards has exactly one part and an escaped {@code \*} stays inside a part.
   *
   * @param start offset of the value's first character in the query
   * @param end offset just after its last character
   */
  record Literal(List<String> parts, boolean quoted, int start, int end) {
    public Literal {
      parts = List.copyOf(parts);
      if (parts.isEmpty()) {
        throw new IllegalArgumentException("a literal has at least one part");
      }
    }

    static Literal quoted(String text, int start, int end) {
      return new Literal(List.of(text), true, start, end);
    }

    boolean hasWildcard() {
      return parts.size() > 1;
    }

    /** {@code *} alone (or {@code **}): "the field has a value". */
    boolean isLoneWildcard() {
      return hasWildcard() && parts.stream().allMatch(String::isEmpty);
    }

    /** The value as typed, wildcards shown as {@code *}; the value itself when there are none. */
    String text() {
      return String.join("*", parts);
    }

    /** For a {@code wildcard} query: {@code *} stays, literal {@code \ * ?} are escaped. */
    String wildcardPattern() {
      return pattern("\\*?");
    }

    /** For a {@code query_string} query: {@code *} stays, its reserved characters are escaped. */
    String queryStringPattern() {
      return pattern("\\+-=&|><!(){}[]^\"~*?:/");
    }

    private String pattern(String reserved) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < parts.size(); i++) {
        if (i > 0) {
          out.append('*');
        }
        String part = parts.get(i);
        for (int j = 0; j < part.length(); j++) {
          char c = part.charAt(j);
          if (reserved.indexOf(c) >= 0) {
            out.append('\\');
          }
          out.append(c);
        }
      }
      return out.toString();
    }
  }
}
