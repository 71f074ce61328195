package io.llmlog.core.redact;

import java.util.Locale;
import java.util.Set;

/**
 * E-mail addresses as people write them: an unquoted local part ({@code [A-Za-z0-9._%+-]}, at most
 * 64 characters, no leading, trailing or double dot), {@code @}, and a domain of at least two
 * labels whose last one is 2–24 letters. {@code user@}, {@code @mention}, {@code a@b} and {@code
 * a@b.c} are not addresses, and neither is {@code logo@2x.png}: a top-level "domain" that is an
 * image file extension is the retina-asset naming convention.
 *
 * <p>The scan starts where a local part can start (the previous character is not a local-part
 * character) and reads forward to the {@code @}. Local-part runs do not overlap, so every character
 * is read a bounded number of times whatever the input.
 */
final class EmailScanner {
  private static final int MAX_LOCAL = 64;
  private static final int MAX_LABEL = 63;
  private static final int MAX_DOMAIN = 253;
  private static final Set<String> FILE_EXTENSIONS =
      Set.of(
          "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tif", "tiff", "avif", "heic");

  private EmailScanner() {}

  /**
   * Adds every address in {@code s} to {@code spans}, ranked {@code rank}. Driven by the {@code
   * '@'}s: from each, back to the start of its local-part run, then {@link #find} forward from
   * there — the same answer as trying every word, without touching the words of a text that has no
   * {@code '@'}. Runs between two {@code '@'}s are disjoint, so the look-backs read each character
   * at most once.
   */
  static void findAll(String s, int rank, Spans spans) {
    int at = s.indexOf('@');
    int previousEnd = 0;
    while (at >= 0) {
      int runStart = at;
      while (runStart > previousEnd && Chars.is(s.charAt(runStart - 1), Chars.LOCAL)) {
        runStart--;
      }
      long span = runStart < at ? find(s, runStart) : -1;
      if (span >= 0) {
        spans.add((int) (span >>> 32), (int) span, rank);
      }
      previousEnd = at + 1;
      at = s.indexOf('@', at + 1);
    }
  }

  /**
   * The span {@code start << 32 | end} of an address whose local part starts at or after {@code i},
   * or -1.
   */
  static long find(String s, int i) {
    int n = s.length();
    int at = i;
    while (at < n && Chars.is(s.charAt(at), Chars.LOCAL)) {
      at++;
    }
    if (at >= n || s.charAt(at) != '@') {
      return -1;
    }
    int start = i;
    if (start > 0
        && s.charAt(start - 1) == '\\'
        && (s.charAt(start) == 'n' || s.charAt(start) == 't' || s.charAt(start) == 'r')) {
      start++; // the letter of an escaped line break is not part of the address
    }
    while (start < at && !Chars.isAsciiAlnum(s.charAt(start))) {
      start++;
    }
    if (start == at
        || at - start > MAX_LOCAL
        || s.charAt(at - 1) == '.'
        || hasDoubleDot(s, start, at)) {
      return -1;
    }
    int end = domainEnd(s, at + 1);
    return end < 0 ? -1 : (long) start << 32 | end;
  }

  private static boolean hasDoubleDot(String s, int start, int end) {
    for (int k = start + 1; k < end; k++) {
      if (s.charAt(k) == '.' && s.charAt(k - 1) == '.') {
        return true;
      }
    }
    return false;
  }

  private static int domainEnd(String s, int from) {
    int n = s.length();
    int p = from;
    int labels = 0;
    int lastLabel = from;
    while (true) {
      int label = p;
      if (p >= n || !Chars.isAsciiAlnum(s.charAt(p))) {
        return -1;
      }
      while (p < n && Chars.is(s.charAt(p), Chars.LABEL)) {
        p++;
      }
      if (p - label > MAX_LABEL || s.charAt(p - 1) == '-') {
        return -1;
      }
      labels++;
      lastLabel = label;
      if (p + 1 < n && s.charAt(p) == '.' && Chars.isAsciiAlnum(s.charAt(p + 1))) {
        p++;
      } else {
        break;
      }
    }
    if (labels < 2 || p - from > MAX_DOMAIN || p - lastLabel < 2 || p - lastLabel > 24) {
      return -1;
    }
    for (int k = lastLabel; k < p; k++) {
      if (!Chars.isAsciiLetter(s.charAt(k))) {
        return -1;
      }
    }
    if (FILE_EXTENSIONS.contains(s.substring(lastLabel, p).toLowerCase(Locale.ROOT))) {
      return -1;
    }
    if (p < n && (s.charAt(p) == '@' || s.charAt(p) == '_')) {
      return -1;
    }
    return p;
  }

  /** The first character of the local part and the whole domain stay: {@code a***@example.com}. */
  static void appendMasked(String s, int start, int end, StringBuilder out) {
    int at = s.indexOf('@', start);
    out.append(s.charAt(start)).append("***").append(s, at, end);
  }

  /**
   * Addresses are compared case-insensitively: {@code Zhang.San@Example.com} is {@code
   * zhang.san@example.com}.
   */
  static String normalized(String s, int start, int end) {
    return s.substring(start, end).toLowerCase(Locale.ROOT);
  }
}
