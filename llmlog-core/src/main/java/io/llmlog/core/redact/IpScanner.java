package io.llmlog.core.redact;

import java.util.Locale;

/**
 * IP addresses.
 *
 * <p>IPv4: four decimal octets, each at most 255 and without leading zeros (which some parsers read
 * as octal, and which version strings have). A dotted quad is a version, not an address, when
 *
 * <ul>
 *   <li>it has more than four parts ({@code 1.2.3.4.5}) or fewer ({@code 1.2.3} is never an
 *       address);
 *   <li>a letter, digit, underscore or dot is glued before it ({@code v1.2.3.4}, {@code V1.2.3.4});
 *   <li>it follows {@code name/} ({@code Chrome/120.0.0.0}: a user-agent product token), but not
 *       {@code //} or a path;
 *   <li>a qualifier is glued after it: {@code -} and a letter ({@code 10.0.0.1-SNAPSHOT}), or
 *       {@code +} and a letter or digit ({@code 1.2.3.4+build.5}, {@code 1.2.3.4+20261128}). {@code
 *       10.0.0.1-10.0.0.9} stays a range of two addresses.
 * </ul>
 *
 * A bare {@code 1.2.3.4} is an address: it is one, syntactically, and privacy errs on that side.
 *
 * <p>IPv6: eight groups of 1–4 hex digits, or fewer with one {@code ::}, optionally ending in an
 * IPv4 quad ({@code ::ffff:192.0.2.1}). Code is full of things shaped like short IPv6 addresses
 * ({@code a::b}, the slice {@code [1::2]}, {@code Foo::bar}), so the compressed form needs at least
 * three groups and a decimal digit; loopback {@code ::1} and link-local {@code fe80::1} are not
 * personal data anyway.
 */
final class IpScanner {
  private static final int IPV6_GROUPS = 8;
  private static final int MIN_COMPRESSED_GROUPS = 3;

  private IpScanner() {}

  /** May an IPv4 address start at {@code i}? */
  static boolean v4StartOk(String s, int i) {
    char prev = Chars.before(s, i);
    if (Chars.isWord(prev) || prev == '.') {
      return false;
    }
    return !(prev == '/' && i >= 2 && Chars.isAsciiAlnum(s.charAt(i - 2)));
  }

  /** The end of an IPv4 address starting at the digit {@code i}, or -1. */
  static int findV4(String s, int i) {
    int p = quadEnd(s, i);
    if (p < 0) {
      return -1;
    }
    if (p < s.length()) {
      char next = s.charAt(p);
      char after = p + 1 < s.length() ? s.charAt(p + 1) : ' ';
      if (Chars.isWord(next)
          || (next == '.' && Chars.isDigit(after))
          || (next == '-' && Chars.isAsciiLetter(after))
          || (next == '+' && Chars.isAsciiAlnum(after))) {
        return -1;
      }
    }
    return p;
  }

  /** The end of a dotted quad starting at {@code i}, without boundary checks, or -1. */
  private static int quadEnd(String s, int i) {
    int n = s.length();
    int p = i;
    for (int octet = 0; octet < 4; octet++) {
      if (octet > 0) {
        if (p >= n || s.charAt(p) != '.') {
          return -1;
        }
        p++;
      }
      int start = p;
      int value = 0;
      while (p < n && p - start < 3 && Chars.isDigit(s.charAt(p))) {
        value = value * 10 + (s.charAt(p) - '0');
        p++;
      }
      int length = p - start;
      if (length == 0
          || (p < n && Chars.isDigit(s.charAt(p)))
          || (length > 1 && s.charAt(start) == '0')
          || value > 255) {
        return -1;
      }
    }
    return p;
  }

  /**
   * May an IPv6 address start at {@code i}? Not inside a word or after a dot. After a colon only
   * when what precedes the colon is a label ({@code IP:2001:db8::1}, {@code IPv6:::ffff:…}) rather
   * than a hex group, which would make {@code i} the middle of an address tried already.
   */
  static boolean v6StartOk(String s, int i) {
    char prev = Chars.before(s, i);
    if (prev != ':') {
      return !Chars.isWord(prev) && prev != '.';
    }
    int wordStart = i - 1;
    while (wordStart > 0 && i - 1 - wordStart <= 4 && Chars.isWord(s.charAt(wordStart - 1))) {
      wordStart--;
    }
    int length = i - 1 - wordStart;
    if (length == 0 || length > 4) {
      return length > 4;
    }
    for (int k = wordStart; k < i - 1; k++) {
      if (!Chars.is(s.charAt(k), Chars.HEX)) {
        return true;
      }
    }
    return false;
  }

  /** The end of an IPv6 address starting at {@code i} (a hex digit or ':'), or -1. */
  static int findV6(String s, int i) {
    return parseV6(s, i, null);
  }

  /**
   * Parses an IPv6 address at {@code i}; fills {@code groups} (8 values) when given. Reads at most
   * about 45 characters, whatever the input.
   */
  private static int parseV6(String s, int i, int[] groups) {
    int n = s.length();
    int p = i;
    int count = 0;
    int gap = -1; // group index where '::' stands
    boolean decimalDigit = false;
    int[] parsed = groups == null ? null : new int[IPV6_GROUPS];
    if (s.charAt(p) == ':') {
      if (p + 1 >= n || s.charAt(p + 1) != ':') {
        return -1;
      }
      gap = 0;
      p += 2;
    }
    while (count < IPV6_GROUPS) {
      int start = p;
      int value = 0;
      while (p < n && p - start <= 4 && Chars.is(s.charAt(p), Chars.HEX)) {
        char c = s.charAt(p);
        decimalDigit |= Chars.isDigit(c);
        value = value * 16 + Character.digit(c, 16);
        p++;
      }
      int length = p - start;
      if (length == 0) {
        break;
      }
      if (length > 4) {
        return -1;
      }
      if (p + 1 < n && s.charAt(p) == '.' && Chars.isDigit(s.charAt(p + 1))) {
        // An embedded IPv4 quad takes the last two groups.
        int quadEnd = count <= IPV6_GROUPS - 2 ? quadEnd(s, start) : -1;
        if (quadEnd < 0) {
          return -1;
        }
        if (parsed != null) {
          int[] octets = octets(s, start);
          parsed[count] = octets[0] << 8 | octets[1];
          parsed[count + 1] = octets[2] << 8 | octets[3];
        }
        count += 2;
        decimalDigit = true;
        p = quadEnd;
        break;
      }
      if (parsed != null) {
        parsed[count] = value;
      }
      count++;
      if (p + 1 < n && s.charAt(p) == ':') {
        if (s.charAt(p + 1) == ':') {
          if (gap >= 0) {
            return -1;
          }
          gap = count;
          p += 2;
        } else if (Chars.is(s.charAt(p + 1), Chars.HEX)) {
          p++;
        } else {
          break;
        }
      } else {
        break;
      }
    }
    boolean valid =
        gap >= 0 ? count >= MIN_COMPRESSED_GROUPS && count < IPV6_GROUPS : count == IPV6_GROUPS;
    if (!valid || !decimalDigit) {
      return -1;
    }
    if (p < n) {
      char next = s.charAt(p);
      if (Chars.isWord(next)
          || next == ':'
          || (next == '.' && p + 1 < n && Chars.isDigit(s.charAt(p + 1)))) {
        return -1;
      }
    }
    if (parsed != null) {
      int tail = gap >= 0 ? count - gap : 0;
      int head = count - tail;
      for (int k = 0; k < IPV6_GROUPS; k++) {
        groups[k] = 0;
      }
      System.arraycopy(parsed, 0, groups, 0, head);
      System.arraycopy(parsed, head, groups, IPV6_GROUPS - tail, tail);
    }
    return p;
  }

  private static int[] octets(String s, int start) {
    int[] octets = new int[4];
    int p = start;
    for (int k = 0; k < 4; k++) {
      int value = 0;
      while (p < s.length() && Chars.isDigit(s.charAt(p))) {
        value = value * 10 + (s.charAt(p++) - '0');
      }
      octets[k] = value;
      p++;
    }
    return octets;
  }

  private static boolean isV4(String s, int start, int end) {
    for (int k = start; k < end; k++) {
      if (s.charAt(k) == ':') {
        return false;
      }
    }
    return true;
  }

  /**
   * IPv4 keeps its first two octets ({@code 192.168.*.*}); IPv6 its first two groups ({@code
   * 2001:db8::*}).
   */
  static void appendMasked(String s, int start, int end, StringBuilder out) {
    if (isV4(s, start, end)) {
      int secondDot = s.indexOf('.', s.indexOf('.', start) + 1);
      out.append(s, start, secondDot).append(".*.*");
      return;
    }
    int[] groups = new int[IPV6_GROUPS];
    parseV6(s, start, groups);
    out.append(Integer.toHexString(groups[0]))
        .append(':')
        .append(Integer.toHexString(groups[1]))
        .append("::*");
  }

  /**
   * IPv4 as written (it has one spelling); IPv6 as eight lower-case groups, so that compressed and
   * full forms agree.
   */
  static String normalized(String s, int start, int end) {
    if (isV4(s, start, end)) {
      return s.substring(start, end);
    }
    int[] groups = new int[IPV6_GROUPS];
    parseV6(s, start, groups);
    StringBuilder canonical = new StringBuilder(39);
    for (int k = 0; k < IPV6_GROUPS; k++) {
      if (k > 0) {
        canonical.append(':');
      }
      canonical.append(Integer.toHexString(groups[k]));
    }
    return canonical.toString().toLowerCase(Locale.ROOT);
  }
}
