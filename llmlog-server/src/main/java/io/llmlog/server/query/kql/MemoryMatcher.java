package io.llmlog.server.query.kql;

import io.llmlog.core.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Compiles a parsed query into a {@link KqlMatcher} with the meaning {@link DslWriter} gives it in
 * the engine: keywords exact (wildcards over the whole value), numbers and booleans by value, text
 * by words. Text is split the way the engine's standard analyzer roughly does (lower-cased runs of
 * letters and digits, Han and Hiragana one character each), so a word query needs every word and a
 * phrase needs the words in a row; stemming-free, like the default mapping.
 *
 * <p>Stricter than a search: a field must be known (a typo in a rule would otherwise match nothing
 * forever, silently) and date fields are refused (a live record is always "now"; date math would
 * need a clock).
 */
final class MemoryMatcher {
  private final String query;
  private final FieldResolver fields;

  MemoryMatcher(String query, FieldResolver fields) {
    this.query = query;
    this.fields = fields;
  }

  KqlMatcher compile(Ast ast) {
    return switch (ast) {
      case Ast.MatchAll m -> record -> true;
      case Ast.And and -> {
        List<KqlMatcher> children = compileAll(and.children());
        yield record -> children.stream().allMatch(child -> child.matches(record));
      }
      case Ast.Or or -> {
        List<KqlMatcher> children = compileAll(or.children());
        yield record -> children.stream().anyMatch(child -> child.matches(record));
      }
      case Ast.Not not -> {
        KqlMatcher child = compile(not.child());
        yield record -> !child.matches(record);
      }
      case Ast.Is is -> is(is.field(), is.value());
      case Ast.Range range -> range(range.field(), range.op(), range.value());
    };
  }

  private List<KqlMatcher> compileAll(List<Ast> children) {
    List<KqlMatcher> compiled = new ArrayList<>(children.size());
    for (Ast child : children) {
      compiled.add(compile(child));
    }
    return List.copyOf(compiled);
  }

  private KqlMatcher is(Ast.Field field, Ast.Literal value) {
    if (field == null || field.isAllFields()) {
      if (value.isLoneWildcard()) {
        return record -> true;
      }
      TextQuery text = TextQuery.of(value);
      return record ->
          DslWriter.FREE_TEXT_FIELDS.stream().anyMatch(name -> text.matches(record.apply(name)));
    }
    String name = field.name();
    FieldType type = knownType(field);
    if (value.isLoneWildcard()) {
      return record -> present(record.apply(name));
    }
    return switch (type) {
      case TEXT -> {
        TextQuery text = TextQuery.of(value);
        yield record -> text.matches(record.apply(name));
      }
      case KEYWORD -> {
        if (value.hasWildcard()) {
          Pattern pattern = glob(value.parts());
          yield record -> anyScalar(record.apply(name), text -> pattern.matcher(text).matches());
        }
        String expected = value.text();
        yield record -> anyScalar(record.apply(name), expected::equals);
      }
      case INTEGER, FLOAT, DOUBLE -> {
        double expected = Double.parseDouble(value.text());
        yield record -> anyNumber(record.apply(name), actual -> actual == expected);
      }
      case BOOLEAN -> {
        String expected = value.text().toLowerCase(Locale.ROOT);
        yield record ->
            anyScalar(
                record.apply(name), actual -> actual.toLowerCase(Locale.ROOT).equals(expected));
      }
      case DATE -> throw dateField(field);
      // DslWriter already refused these: they are not indexed.
      case MESSAGES -> throw new IllegalStateException(name + " is not searchable");
    };
  }

  private KqlMatcher range(Ast.Field field, String op, Ast.Literal value) {
    String name = field.name();
    FieldType type = knownType(field);
    if (type == FieldType.DATE) {
      throw dateField(field);
    }
    // DslWriter already refused ranges over anything but numbers and dates.
    double bound = Double.parseDouble(value.text());
    return switch (op) {
      case "gt" -> record -> anyNumber(record.apply(name), actual -> actual > bound);
      case "gte" -> record -> anyNumber(record.apply(name), actual -> actual >= bound);
      case "lt" -> record -> anyNumber(record.apply(name), actual -> actual < bound);
      case "lte" -> record -> anyNumber(record.apply(name), actual -> actual <= bound);
      default -> throw new IllegalStateException("unknown range operator " + op);
    };
  }

  private FieldType knownType(Ast.Field field) {
    FieldType type = fields.typeOf(field.name());
    if (type != null && fields.joined(field.name())) {
      throw KqlSyntaxException.invalid(
          query,
          field.position(),
          field.name()
              + " is a field of the quality records, which a call being ingested does not have yet",
          "a field of the call");
    }
    if (type == null) {
      throw KqlSyntaxException.invalid(
          query,
          field.position(),
          "unknown field '" + field.name() + "' (custom attributes are metadata.<key>)",
          "a known field");
    }
    return type;
  }

  private KqlSyntaxException dateField(Ast.Field field) {
    return KqlSyntaxException.invalid(
        query,
        field.position(),
        "date fields cannot be filtered on live records: " + field.name(),
        "a field other than a date");
  }

  private static boolean present(Object value) {
    return value != null
        && !(value instanceof List<?> list && list.stream().allMatch(item -> item == null));
  }

  private interface StringTest {
    boolean test(String value);
  }

  private interface NumberTest {
    boolean test(double value);
  }

  private static boolean anyScalar(Object value, StringTest test) {
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (anyScalar(item, test)) {
          return true;
        }
      }
      return false;
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return test.test(value.toString());
    }
    return false;
  }

  private static boolean anyNumber(Object value, NumberTest test) {
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (anyNumber(item, test)) {
          return true;
        }
      }
      return false;
    }
    if (value instanceof Number number) {
      return test.test(number.doubleValue());
    }
    if (value instanceof String text) {
      try {
        return test.test(Double.parseDouble(text.trim()));
      } catch (NumberFormatException notANumber) {
        return false;
      }
    }
    return false;
  }

  /** Wildcard parts as a regular expression over the whole value; everything else is literal. */
  private static Pattern glob(List<String> parts) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        regex.append(".*");
      }
      if (!parts.get(i).isEmpty()) {
        regex.append(Pattern.quote(parts.get(i)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  /** A value searched in analysed text: words, a phrase, or words with wildcards. */
  private record TextQuery(List<List<String>> phrases, List<Pattern> wildcards) {
    static TextQuery of(Ast.Literal value) {
      if (value.hasWildcard()) {
        // query_string with default_operator and: every whitespace-separated term must match a
        // word.
        List<Pattern> terms = new ArrayList<>();
        for (String term : value.text().toLowerCase(Locale.ROOT).split("\\s+")) {
          if (!term.isEmpty()) {
            terms.add(glob(List.of(term.split("\\*", -1))));
          }
        }
        return new TextQuery(List.of(), terms);
      }
      if (value.quoted()) {
        return new TextQuery(List.of(words(value.text())), List.of());
      }
      // match with operator and: each word on its own; a Han or Hiragana word is a phrase of its
      // characters.
      List<List<String>> phrases = new ArrayList<>();
      for (String word : value.text().split("[ \\t\\r\\n\\u00A0]+")) {
        List<String> tokens = words(word);
        if (tokens.isEmpty()) {
          continue;
        }
        if (DslWriter.hasIdeographs(word)) {
          phrases.add(tokens);
        } else {
          tokens.forEach(token -> phrases.add(List.of(token)));
        }
      }
      return new TextQuery(phrases, List.of());
    }

    boolean matches(Object value) {
      List<String> text = new ArrayList<>();
      collectWords(value, text);
      if (text.isEmpty()) {
        return false;
      }
      for (List<String> phrase : phrases) {
        if (phrase.isEmpty() || !containsPhrase(text, phrase)) {
          return false;
        }
      }
      for (Pattern wildcard : wildcards) {
        if (text.stream().noneMatch(word -> wildcard.matcher(word).matches())) {
          return false;
        }
      }
      return !phrases.isEmpty() || !wildcards.isEmpty();
    }

    private static void collectWords(Object value, List<String> into) {
      if (value instanceof List<?> list) {
        list.forEach(item -> collectWords(item, into));
      } else if (value instanceof String text) {
        into.addAll(words(text));
      }
    }

    private static boolean containsPhrase(List<String> text, List<String> phrase) {
      for (int start = 0; start + phrase.size() <= text.size(); start++) {
        if (text.subList(start, start + phrase.size()).equals(phrase)) {
          return true;
        }
      }
      return false;
    }

    /** Lower-cased runs of letters and digits; Han and Hiragana one character per word. */
    static List<String> words(String text) {
      List<String> words = new ArrayList<>();
      StringBuilder word = new StringBuilder();
      text.codePoints()
          .forEach(
              c -> {
                Character.UnicodeScript script = Character.UnicodeScript.of(c);
                boolean single =
                    script == Character.UnicodeScript.HAN
                        || script == Character.UnicodeScript.HIRAGANA;
                if (Character.isLetterOrDigit(c) && !single) {
                  word.appendCodePoint(Character.toLowerCase(c));
                  return;
                }
                if (!word.isEmpty()) {
                  words.add(word.toString());
                  word.setLength(0);
                }
                if (single) {
                  words.add(new String(Character.toChars(c)));
                }
              });
      if (!word.isEmpty()) {
        words.add(word.toString());
      }
      return words;
    }
  }
}
