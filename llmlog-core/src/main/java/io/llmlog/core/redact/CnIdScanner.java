package io.llmlog.core.redact;

/**
 * Chinese resident identity numbers (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit
 * sequence and a MOD 11-2 check character ({@code 0-9} or {@code X}). Only the 18-character form is
 * recognised; the 15-digit form of the 1980s has no check digit and would match any 15-digit run.
 *
 * <p>A candidate must have a known province code, a real calendar date in 1900–2099 and the right
 * check character; an 18-digit order number passes all three with probability well under 1/1000.
 */
final class CnIdScanner {
  static final int LENGTH = 18;

  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final String CHECK = "10X98765432";

  /**
   * First two digits in use: the provinces, Taiwan (71), Hong Kong, Macao, Taiwan residence permits
   * (81–83), foreigners (91).
   */
  private static final boolean[] PROVINCES = new boolean[100];

  static {
    int[] codes = {
      11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
      52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91
    };
    for (int code : codes) {
      PROVINCES[code] = true;
    }
  }

  private CnIdScanner() {}

  /**
   * The end of an identity number starting at {@code i}, or -1. The caller checked the start
   * boundary.
   */
  static int find(String s, int i) {
    int end = i + LENGTH;
    if (end > s.length()) {
      return -1;
    }
    int sum = 0;
    for (int k = 0; k < LENGTH - 1; k++) {
      char c = s.charAt(i + k);
      if (!Chars.isDigit(c)) {
        return -1;
      }
      sum += (c - '0') * WEIGHTS[k];
    }
    char check = s.charAt(i + LENGTH - 1);
    if (check == 'x') {
      check = 'X';
    }
    if (check != CHECK.charAt(sum % 11)) {
      return -1;
    }
    if (!PROVINCES[number(s, i, 2)]
        || !isDate(number(s, i + 6, 4), number(s, i + 10, 2), number(s, i + 12, 2))) {
      return -1;
    }
    return DigitRuns.endOk(s, end) ? end : -1;
  }

  /** True when {@code id} as a whole is a valid 18-character identity number. */
  static boolean isValid(String id) {
    return id.length() == LENGTH && find(id, 0) == LENGTH;
  }

  /** The region code and the last four characters stay: {@code 110101********1234}. */
  static void appendMasked(String s, int start, int end, StringBuilder out) {
    out.append(s, start, start + 6).append("********").append(s, end - 4, end);
  }

  /** Upper-case X, so that both spellings get the same pseudonym. */
  static String normalized(String s, int start, int end) {
    return s.substring(start, end).toUpperCase(java.util.Locale.ROOT);
  }

  private static int number(String s, int from, int digits) {
    int value = 0;
    for (int k = from; k < from + digits; k++) {
      value = value * 10 + (s.charAt(k) - '0');
    }
    return value;
  }

  private static boolean isDate(int year, int month, int day) {
    if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) {
      return false;
    }
    return day <= daysInMonth(year, month);
  }

  private static int daysInMonth(int year, int month) {
    switch (month) {
      case 2:
        boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }
}
