package io.llmlog.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Values of the API's answers as the commands' tables print them; a missing value is {@code -}. */
final class Cells {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Cells() {}

  /** An ISO-8601 instant as UTC to the second: {@code 2026-11-28 08:30:15}. */
  static String time(String iso) {
    try {
      return TIME.format(Instant.parse(iso));
    } catch (RuntimeException e) {
      return iso.isEmpty() ? "-" : iso;
    }
  }

  /** A whole number with thousands separators. */
  static String count(JsonNode value) {
    return value.isNumber() ? String.format(Locale.ROOT, "%,d", Math.round(value.asDouble())) : "-";
  }

  /** US dollars to four decimals. */
  static String money(JsonNode value) {
    return value.isNumber() ? String.format(Locale.ROOT, "%,.4f", value.asDouble()) : "-";
  }

  /** A duration as people read it: {@code 850 ms}, {@code 4.21 s}, {@code 2.5 min}. */
  static String duration(JsonNode value) {
    if (!value.isNumber()) {
      return "-";
    }
    double ms = value.asDouble();
    if (ms < 1000) {
      return String.format(Locale.ROOT, "%.0f ms", ms);
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }
    return String.format(Locale.ROOT, "%.1f min", ms / 60_000);
  }
}
