package io.llmlog.core.redact;

/**
 * Payment card numbers: 13–19 digits, written in one run ({@code 6222021234567890123}) or in the
 * groups people use, separated by single spaces or dashes: 4-4-4-4 ({@code 6222 0212 3456 7890}),
 * 4-4-4-4 and a shorter last group ({@code 6222 0212 3456 7890 12}, {@code 6222-0212-3456-7890-3}),
 * 4-6-5 ({@code 3782-822463-10005}) and 6-13 ({@code 622202 1234567890123}).
 *
 * <p>One random digit string in ten passes the Luhn check, so Luhn alone would redact every tenth
 * order number or epoch timestamp. A candidate must also start with an issuer prefix that fits its
 * length (Visa, Mastercard including the 2-series, American Express, JCB, Diners, and everything
 * starting with 6: UnionPay 62, Discover, Maestro, RuPay). Timestamps and order numbers starting
 * with 1 or 20 therefore never match, whatever their check digit.
 */
final class BankCardScanner {
  static final int MIN_DIGITS = 13;
  static final int MAX_DIGITS = 19;
  private static final int MAX_GROUPS = 6;

  /** The long group of the 6-13 grouping. */
  private static final int MAX_LONG_GROUP = 13;

  private BankCardScanner() {}

  /**
   * The end of a card number starting at {@code i}, or -1. The caller checked the start boundary.
   */
  static int find(String s, int i) {
    int n = s.length();
    int p = i;
    while (p < n && p - i <= MAX_DIGITS && Chars.isDigit(s.charAt(p))) {
      p++;
    }
    int run = p - i;
    if (run > MAX_DIGITS) {
      return -1;
    }
    if (run >= MIN_DIGITS) {
      return DigitRuns.endOk(s, p) && isValid(s, i, p, run) ? p : -1;
    }
    if (run < 4 || run > 6 || p >= n) {
      return -1;
    }
    char separator = s.charAt(p);
    if (separator != ' ' && separator != '-') {
      return -1;
    }
    // Grouped: keep the longest prefix of groups that is a valid card, so that a card followed by
    // an unrelated number ("6222 0212 3456 7890 2 次") is still found.
    int digits = run;
    int best = -1;
    boolean allFours = run == 4;
    for (int groups = 1; groups < MAX_GROUPS && p + 1 < n && s.charAt(p) == separator; groups++) {
      int q = p + 1;
      while (q < n && q - (p + 1) <= MAX_LONG_GROUP && Chars.isDigit(s.charAt(q))) {
        q++;
      }
      int group = q - (p + 1);
      if (!groupFits(group, groups, run, allFours) || digits + group > MAX_DIGITS) {
        break;
      }
      digits += group;
      allFours &= group == 4;
      p = q;
      if (digits >= MIN_DIGITS && DigitRuns.endOk(s, p) && isValid(s, i, p, digits)) {
        best = p;
      }
      if (group < 3 || group > 6) {
        break; // a short last group or the long half of 6-13 ends the number
      }
    }
    return best;
  }

  /**
   * The groupings people write: groups of 3 to 6 digits (4-4-4-4, 4-6-5, 4-4-4-4-3); after four
   * groups of four, a shorter last group of 1 or 2 digits (the 17- and 18-digit UnionPay cards
   * printed {@code 6222 0212 3456 7890 12}); after a first group of six, the other 10 to 13 digits
   * in one ({@code 622202 1234567890123}). The Luhn check and the issuer prefix still decide.
   *
   * @param group the digits of this group
   * @param index this group's position, the first group being 0
   * @param first the digits of the first group
   * @param allFours every group before this one had four digits
   */
  private static boolean groupFits(int group, int index, int first, boolean allFours) {
    if (group >= 3 && group <= 6) {
      return true;
    }
    if (group >= 1 && group <= 2) {
      return index == 4 && allFours;
    }
    return index == 1 && first == 6 && group >= 10 && group <= MAX_LONG_GROUP;
  }

  /**
   * Luhn and issuer prefix of the digits in {@code s[start, end)}, of which there are {@code
   * digits}.
   */
  static boolean isValid(String s, int start, int end, int digits) {
    int sum = 0;
    boolean doubled = false;
    for (int k = end - 1; k >= start; k--) {
      char c = s.charAt(k);
      if (!Chars.isDigit(c)) {
        continue;
      }
      int d = c - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return sum % 10 == 0 && issuerFits(firstDigits(s, start, end), digits);
  }

  /** True when {@code number} (digits only) is a valid card number. */
  static boolean isValid(String number) {
    for (int k = 0; k < number.length(); k++) {
      if (!Chars.isDigit(number.charAt(k))) {
        return false;
      }
    }
    int length = number.length();
    return length >= MIN_DIGITS && length <= MAX_DIGITS && isValid(number, 0, length, length);
  }

  /** The first four digits as a number: 6222 for {@code 6222 0212 ...}. */
  private static int firstDigits(String s, int start, int end) {
    int value = 0;
    int seen = 0;
    for (int k = start; k < end && seen < 4; k++) {
      char c = s.charAt(k);
      if (Chars.isDigit(c)) {
        value = value * 10 + (c - '0');
        seen++;
      }
    }
    return value;
  }

  private static boolean issuerFits(int first4, int length) {
    int first1 = first4 / 1000;
    int first2 = first4 / 100;
    int first3 = first4 / 10;
    switch (first1) {
      case 2: // Mastercard 2221–2720
        return first4 >= 2221 && first4 <= 2720 && length == 16;
      case 3:
        if (first2 == 34 || first2 == 37) { // American Express
          return length == 15;
        }
        if (first4 >= 3528 && first4 <= 3589) { // JCB
          return length >= 16;
        }
        if (first2 == 36 || (first3 >= 300 && first3 <= 305)) { // Diners Club
          return length >= 14;
        }
        return (first2 == 38 || first2 == 39) && length >= 16; // Diners Club
      case 4: // Visa
        return length == 13 || length == 16 || length == 19;
      case 5: // Mastercard 51–55, Maestro 50 and 56–58
        return first2 <= 58 && length >= 16;
      case 6: // UnionPay 62, Discover 6011/644–649/65, Maestro, RuPay
        return length >= 16;
      default:
        return false;
    }
  }

  /** First four and last four digits stay, separators too: {@code 6222 **** **** 1234}. */
  static void appendMasked(String s, int start, int end, StringBuilder out) {
    DigitRuns.appendMasked(s, start, end, 4, 4, out);
  }

  static String normalized(String s, int start, int end) {
    return DigitRuns.digitsOf(s, start, end);
  }
}
