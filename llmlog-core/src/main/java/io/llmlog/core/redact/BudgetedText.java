package io.llmlog.core.redact;

/**
 * A text that counts how often it is read and stops a regular expression that reads too much.
 * {@link java.util.regex.Matcher} reads its input only through {@link #charAt}, so counting there
 * bounds the work of any pattern, backtracking included, without a thread or a timer.
 */
final class BudgetedText implements CharSequence {
  /**
   * Thrown when the budget is spent. Preallocated and without a stack trace: it is control flow.
   */
  static final class Exhausted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private Exhausted() {
      super("regular expression budget exhausted", null, false, false);
    }
  }

  private static final Exhausted EXHAUSTED = new Exhausted();

  private final String text;
  private long remaining;

  BudgetedText(String text, long budget) {
    this.text = text;
    this.remaining = budget;
  }

  @Override
  public char charAt(int index) {
    if (--remaining < 0) {
      throw EXHAUSTED;
    }
    return text.charAt(index);
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return text.subSequence(start, end);
  }

  @Override
  public String toString() {
    return text;
  }
}
