package io.llmlog.core.redact;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recognizer from configuration: a name, a {@link java.util.regex} pattern and a mode.
 *
 * <p>A user's pattern can backtrack exponentially ({@code ((a+)+)+b} on a run of a's; the JDK
 * memoizes simpler cases such as {@code (a+)+b} since Java 9, but not all). It is run over a {@link
 * BudgetedText} that counts character reads and gives up past {@code budgetPerChar × length +
 * FLOOR}; the redactor then fails closed. Patterns with a leading {@code .*} are quadratic on long
 * lines and may hit the budget too: anchor on something concrete.
 *
 * @param name lower-case {@code [a-z0-9_]+}, the count key; the token is its upper-case form
 * @param pattern the compiled pattern
 * @param mode how matches are replaced
 */
record CustomRecognizer(String name, Pattern pattern, RedactionMode mode) {
  /** Reads allowed on top of the per-character budget, so short texts never trip it. */
  static final long FLOOR = 4096;

  CustomRecognizer {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(mode, "mode");
    if (!name.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException(
          "must be lower-case letters, digits and '_', was \"" + name + "\"");
    }
    for (PiiType type : PiiType.values()) {
      if (type.configName().equals(name)) {
        throw new IllegalArgumentException("\"" + name + "\" is a built-in recognizer");
      }
    }
  }

  String token() {
    return "[" + name.toUpperCase(Locale.ROOT) + "]";
  }

  /**
   * Adds the non-empty matches in {@code text} to {@code spans}, ranked {@code rank}.
   *
   * @throws BudgetedText.Exhausted when the pattern read more characters than allowed
   */
  void findAll(BudgetedText text, int rank, Spans spans) {
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      if (matcher.end() > matcher.start()) {
        spans.add(matcher.start(), matcher.end(), rank);
      }
    }
  }

  /** The first and last characters stay, the rest is starred: {@code E********6}. */
  static void appendMasked(String s, int start, int end, StringBuilder out) {
    int length = end - start;
    if (length < 4) {
      out.append("*".repeat(length));
    } else {
      out.append(s.charAt(start)).append("*".repeat(length - 2)).append(s.charAt(end - 1));
    }
  }
}
