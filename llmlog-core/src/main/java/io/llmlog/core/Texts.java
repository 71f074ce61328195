package io.llmlog.core;

/** Small text helpers shared by the schema, the codec and error messages. */
public final class Texts {
  private static final int QUOTE_LIMIT = 64;

  private Texts() {}

  /** Quotes a value for an error message, shortened so that a hostile value cannot flood a log. */
  public static String quote(String value) {
    if (value == null) {
      return "null";
    }
    return '"'
        + (value.length() > QUOTE_LIMIT ? value.substring(0, QUOTE_LIMIT) + "…" : value)
        + '"';
  }

  /**
   * The first {@code maxCodePoints} code points of {@code text}: Python's {@code text[:n]}, which
   * is how the brief cuts its prompt. A surrogate pair is never split.
   */
  public static String firstCodePoints(String text, int maxCodePoints) {
    if (text == null || text.length() <= maxCodePoints) {
      return text;
    }
    int end =
        text.offsetByCodePoints(0, Math.min(maxCodePoints, text.codePointCount(0, text.length())));
    return text.substring(0, end);
  }

  /**
   * Replaces each unpaired UTF-16 surrogate with U+FFFD. Applications do cut strings in the middle
   * of an emoji; such a string cannot be encoded as UTF-8, and a log record must not be lost for
   * it.
   */
  public static String replaceLoneSurrogates(String text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < length
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return replaceFrom(text, i);
      }
    }
    return text;
  }

  private static String replaceFrom(String text, int start) {
    StringBuilder out = new StringBuilder(text.length()).append(text, 0, start);
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }

  /** True when {@code value} is null or holds only whitespace. */
  public static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
