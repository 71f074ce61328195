package io.llmlog.core.redact;

/**
 * The boundary rules shared by the number recognizers (phone, resident id, bank card): a number is
 * only PII when it is not part of a longer run. "Longer run" means glued to a letter, digit or
 * underscore, or joined to more digits by a '.' or '-' (a decimal such as {@code 3.13812345678}, an
 * order number such as {@code 20261128-13812345678}).
 */
final class DigitRuns {
  private DigitRuns() {}

  /** May a number start at {@code i}? */
  static boolean startOk(String s, int i) {
    char prev = Chars.before(s, i);
    if (Chars.isWord(prev)) {
      return false;
    }
    return !((prev == '.' || prev == '-') && i >= 2 && Chars.isDigit(s.charAt(i - 2)));
  }

  /** May a number end just before {@code end}? */
  static boolean endOk(String s, int end) {
    if (end >= s.length()) {
      return true;
    }
    char next = s.charAt(end);
    if (Chars.isWord(next)) {
      return false;
    }
    return !((next == '.' || next == '-')
        && end + 1 < s.length()
        && Chars.isDigit(s.charAt(end + 1)));
  }

  /**
   * Appends {@code s[start, end)} with every digit but the first {@code keepFirst} and the last
   * {@code keepLast} replaced by '*'; separators are kept so the shape stays readable ({@code 6222
   * **** **** 1234}).
   */
  static void appendMasked(
      String s, int start, int end, int keepFirst, int keepLast, StringBuilder out) {
    int digits = 0;
    for (int k = start; k < end; k++) {
      if (Chars.isDigit(s.charAt(k))) {
        digits++;
      }
    }
    int seen = 0;
    for (int k = start; k < end; k++) {
      char c = s.charAt(k);
      if (Chars.isDigit(c)) {
        out.append(seen < keepFirst || seen >= digits - keepLast ? c : '*');
        seen++;
      } else {
        out.append(c);
      }
    }
  }

  /** The digits of {@code s[start, end)}, separators dropped. */
  static String digitsOf(String s, int start, int end) {
    StringBuilder digits = new StringBuilder(end - start);
    for (int k = start; k < end; k++) {
      char c = s.charAt(k);
      if (Chars.isDigit(c)) {
        digits.append(c);
      }
    }
    return digits.toString();
  }
}
