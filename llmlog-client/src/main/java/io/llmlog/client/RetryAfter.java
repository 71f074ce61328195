package io.llmlog.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an HTTP {@code Retry-After} header: delay-seconds or an HTTP-date (RFC 9110, section
 * 10.2.3).
 */
final class RetryAfter {
  private RetryAfter() {}

  /**
   * The wait the header asks for, or null when it is absent or unreadable. A date in the past means
   * "now" (zero).
   *
   * @param now the current time, for an HTTP-date
   */
  static Duration parse(String value, Instant now) {
    if (value == null) {
      return null;
    }
    String text = value.trim();
    if (text.isEmpty()) {
      return null;
    }
    if (isDigits(text)) {
      try {
        return Duration.ofSeconds(Long.parseLong(text));
      } catch (NumberFormatException tooLong) {
        return null;
      }
    }
    try {
      // IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", is what RFC 1123's formatter reads.
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException unreadable) {
      return null;
    }
  }

  private static boolean isDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
