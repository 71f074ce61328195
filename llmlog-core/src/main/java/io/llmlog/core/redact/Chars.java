package io.llmlog.core.redact;

/**
 * ASCII character classes of the scanners, one table lookup each. Every recognizer anchors on ASCII
 * characters, so anything at or above 128 (CJK text, emoji) is in no class and acts as a boundary.
 */
final class Chars {
  /** {@code [A-Za-z0-9_]}: a character that glues a token to its neighbour. */
  static final int WORD = 1;

  /** {@code [A-Za-z0-9._%+-]}: the unquoted e-mail local part. */
  static final int LOCAL = 1 << 1;

  /** {@code [0-9A-Fa-f]}. */
  static final int HEX = 1 << 2;

  /** {@code [A-Za-z0-9-]}: a domain label. */
  static final int LABEL = 1 << 3;

  /** {@code [A-Za-z0-9_-]}: base64url, and the body of most API keys. */
  static final int B64URL = 1 << 4;

  /**
   * The first character of a secret the secret scanner knows: s, A, g, x, B, '-', and hex digits
   * (Zhipu's key ids).
   */
  static final int SECRET_START = 1 << 5;

  /** {@code [A-Za-z0-9+/=]}: base64 as in PEM bodies. */
  static final int B64 = 1 << 6;

  /** {@code [0-9]}. */
  static final int DIGIT = 1 << 7;

  /** {@code '+'}, which starts an international phone number. */
  static final int PLUS = 1 << 8;

  /** {@code [0-9A-Fa-f:]}: where an IPv6 address can start. */
  static final int V6_START = 1 << 9;

  private static final int[] CLASSES = new int[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      set(c, WORD | LOCAL | LABEL | B64URL | B64);
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      set(c, WORD | LOCAL | LABEL | B64URL | B64);
    }
    for (char c = '0'; c <= '9'; c++) {
      set(c, WORD | LOCAL | LABEL | B64URL | B64 | HEX | DIGIT | V6_START);
    }
    for (char c = 'a'; c <= 'f'; c++) {
      set(c, HEX | V6_START);
    }
    for (char c = 'A'; c <= 'F'; c++) {
      set(c, HEX | V6_START);
    }
    set(':', V6_START);
    set('_', WORD | LOCAL | B64URL);
    set('-', LOCAL | LABEL | B64URL | SECRET_START);
    set('.', LOCAL);
    set('%', LOCAL);
    set('+', LOCAL | B64 | PLUS);
    set('/', B64);
    set('=', B64);
    for (char c : "sAgxB0123456789abcdefABCDEF".toCharArray()) {
      set(c, SECRET_START);
    }
  }

  private Chars() {}

  private static void set(char c, int classes) {
    CLASSES[c] |= classes;
  }

  static boolean is(char c, int classes) {
    return c < 128 && (CLASSES[c] & classes) != 0;
  }

  /** All classes of {@code c}; 0 for non-ASCII. */
  static int classes(char c) {
    return c < 128 ? CLASSES[c] : 0;
  }

  /**
   * The character before {@code i} as boundary checks see it: the start of the text is a space, and
   * so is an escaped {@code \n}, {@code \t} or {@code \r} (a backslash and a letter), because
   * prompts often hold JSON or log lines whose line breaks are escaped: {@code "phone:\n138…"}.
   */
  static char before(String s, int i) {
    if (i == 0) {
      return ' ';
    }
    char prev = s.charAt(i - 1);
    if ((prev == 'n' || prev == 't' || prev == 'r') && i >= 2 && s.charAt(i - 2) == '\\') {
      return ' ';
    }
    return prev;
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isWord(char c) {
    return c < 128 && (CLASSES[c] & WORD) != 0;
  }

  static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isAsciiAlnum(char c) {
    return isAsciiLetter(c) || isDigit(c);
  }

  /** True when the digits at {@code [from, from + count)} exist and are all ASCII digits. */
  static boolean digitsAt(String s, int from, int count) {
    if (from < 0 || from + count > s.length()) {
      return false;
    }
    for (int k = from; k < from + count; k++) {
      if (!isDigit(s.charAt(k))) {
        return false;
      }
    }
    return true;
  }
}
