package io.llmlog.core.redact;

import java.util.Map;
import java.util.Objects;

/**
 * The result of redacting one text.
 *
 * @param text the redacted text; the very same instance as the input when nothing matched, and
 *     {@link #FAILED_TOKEN} when redaction failed
 * @param counts how many values of each type were replaced, by config name ({@code email}, {@code
 *     phone}, ..., or a custom recognizer's name); empty when nothing matched
 * @param failed true when the text could not be redacted safely (a custom pattern ran out of its
 *     budget) and was replaced as a whole, fail-closed
 */
public record Redaction(String text, Map<String, Integer> counts, boolean failed) {
  /** What replaces a whole text that could not be redacted safely. */
  public static final String FAILED_TOKEN = "[REDACTION_FAILED]";

  public Redaction {
    Objects.requireNonNull(text, "text");
    counts = Map.copyOf(counts);
  }

  /** Nothing found: {@code text} is returned as it is. */
  static Redaction unchanged(String text) {
    return new Redaction(text, Map.of(), false);
  }

  /** The fail-closed result. */
  static Redaction failedClosed() {
    return new Redaction(FAILED_TOKEN, Map.of(), true);
  }

  /** True when the text was changed, by replacements or by failing closed. */
  public boolean changed() {
    return failed || !counts.isEmpty();
  }

  /** All replacements, of every type. */
  public int total() {
    int total = 0;
    for (int count : counts.values()) {
      total += count;
    }
    return total;
  }
}
