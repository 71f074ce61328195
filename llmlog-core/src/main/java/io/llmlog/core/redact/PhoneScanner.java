package io.llmlog.core.redact;

/**
 * Phone numbers: Chinese mobile numbers and international numbers in E.164 form.
 *
 * <ul>
 *   <li>Chinese mobile: {@code 1[3-9]} and nine more digits, in one run or as 3-4-4 groups with the
 *       same single space or dash ({@code 138 1234 5678}, {@code 138-1234-5678}); optionally after
 *       {@code +86}, {@code 0086} or {@code 86} and an optional space or dash.
 *   <li>International: {@code +} and 8 to 15 digits (11 for {@code +1}, whose national numbers are
 *       ten digits) with optional single separators (space, dash, dot) and one parenthesised group:
 *       {@code +44 20 7946 0958}, {@code +1 (415) 555-2671}.
 * </ul>
 *
 * Both need digit boundaries ({@link DigitRuns}): {@code 12345678901} (second digit 2), {@code
 * 10086…} and an 11-digit run inside an order number are not phones.
 */
final class PhoneScanner {
  private static final int E164_MIN = 8;
  private static final int E164_MAX = 15;
  private static final int NANP_DIGITS = 11;

  private PhoneScanner() {}

  /**
   * A Chinese mobile number starting at the digit {@code i}, or -1. The caller checked the start
   * boundary.
   */
  static int findMobile(String s, int i) {
    char c = s.charAt(i);
    if (c == '1') {
      return mobileBody(s, i);
    }
    if (c == '0' && s.startsWith("0086", i)) {
      return afterCountryCode(s, i + 4);
    }
    if (c == '8' && s.startsWith("86", i)) {
      return afterCountryCode(s, i + 2);
    }
    return -1;
  }

  /**
   * A number starting with the {@code '+'} at {@code i}: Chinese mobile first, then any E.164
   * number.
   */
  static int findPlus(String s, int i) {
    if (s.startsWith("+86", i)) {
      int end = afterCountryCode(s, i + 3);
      if (end > 0) {
        return end;
      }
    }
    return findE164(s, i);
  }

  /** May a {@code '+'} number start at {@code i}? */
  static boolean plusStartOk(String s, int i) {
    char prev = Chars.before(s, i);
    return !Chars.isWord(prev) && prev != '+';
  }

  private static int afterCountryCode(String s, int p) {
    if (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '-')) {
      p++;
    }
    return mobileBody(s, p);
  }

  private static int mobileBody(String s, int q) {
    int n = s.length();
    if (q + 11 > n
        || s.charAt(q) != '1'
        || s.charAt(q + 1) < '3'
        || s.charAt(q + 1) > '9'
        || !Chars.isDigit(s.charAt(q + 2))) {
      return -1;
    }
    int end;
    char sep = s.charAt(q + 3);
    if (Chars.digitsAt(s, q + 3, 8)) {
      end = q + 11;
    } else if ((sep == ' ' || sep == '-')
        && q + 13 <= n
        && Chars.digitsAt(s, q + 4, 4)
        && s.charAt(q + 8) == sep
        && Chars.digitsAt(s, q + 9, 4)) {
      end = q + 13;
    } else {
      return -1;
    }
    return DigitRuns.endOk(s, end) ? end : -1;
  }

  private static int findE164(String s, int i) {
    int n = s.length();
    int p = i + 1;
    if (p >= n || s.charAt(p) < '1' || s.charAt(p) > '9') {
      return -1;
    }
    int max = s.charAt(p) == '1' ? NANP_DIGITS : E164_MAX;
    int digits = 0;
    int end = -1;
    boolean afterSeparator = false;
    while (p < n) {
      char c = s.charAt(p);
      if (Chars.isDigit(c) || (c == '(' && end > 0)) {
        boolean paren = c == '(';
        int q = paren ? p + 1 : p;
        int groupStart = q;
        while (q < n && Chars.isDigit(s.charAt(q)) && q - groupStart <= E164_MAX) {
          q++;
        }
        int group = q - groupStart;
        if (paren && (group == 0 || group > 4 || q >= n || s.charAt(q) != ')')) {
          break;
        }
        if (digits + group > max) {
          // A group after a separator that does not fit is the next number in the sentence; a
          // glued one makes this run too long to be a phone number.
          if (afterSeparator || paren) {
            break;
          }
          return -1;
        }
        digits += group;
        p = paren ? q + 1 : q;
        end = p;
        afterSeparator = false;
      } else if ((c == ' ' || c == '-' || c == '.')
          && end == p
          && p + 1 < n
          && (Chars.isDigit(s.charAt(p + 1)) || s.charAt(p + 1) == '(')) {
        p++;
        afterSeparator = true;
      } else {
        break;
      }
    }
    if (digits < E164_MIN || !DigitRuns.endOk(s, end)) {
      return -1;
    }
    return end;
  }

  /**
   * Where the national number of a Chinese mobile match starts (after +86, 0086 or 86), else -1.
   */
  private static int mobileBodyStart(String s, int start, int end) {
    int q;
    if (s.startsWith("+86", start)) {
      q = start + 3;
    } else if (s.startsWith("0086", start)) {
      q = start + 4;
    } else if (s.startsWith("86", start)) {
      q = start + 2;
    } else {
      q = start;
    }
    if (q < end && (s.charAt(q) == ' ' || s.charAt(q) == '-')) {
      q++;
    }
    return q < end && mobileBody(s, q) == end ? q : -1;
  }

  /**
   * Chinese mobile: the prefix stays, then the first three and last four digits ({@code
   * 138****5678}, {@code +86 138-****-5678}). International: the first two and last four digits
   * stay ({@code +44 ** **** 0958}).
   */
  static void appendMasked(String s, int start, int end, StringBuilder out) {
    int body = mobileBodyStart(s, start, end);
    if (body >= 0) {
      out.append(s, start, body);
      DigitRuns.appendMasked(s, body, end, 3, 4, out);
    } else {
      DigitRuns.appendMasked(s, start, end, 2, 4, out);
    }
  }

  /**
   * The same person's number written in different ways gets one pseudonym: the 11 digits of a
   * Chinese mobile number, {@code +} and the digits of an international one.
   */
  static String normalized(String s, int start, int end) {
    int body = mobileBodyStart(s, start, end);
    if (body >= 0) {
      return DigitRuns.digitsOf(s, body, end);
    }
    return "+" + DigitRuns.digitsOf(s, start, end);
  }
}
