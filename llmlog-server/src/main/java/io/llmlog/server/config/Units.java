package io.llmlog.server.config;

import java.time.Duration;
import java.util.Locale;

/** Parses the sizes and durations people write in config files. */
public final class Units {
  private Units() {}

  /** {@code 10MB}, {@code 10mb}, {@code 512KiB}, {@code 1g}, {@code 1048576}; binary multiples. */
  public static long parseBytes(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    int split = 0;
    while (split < value.length()
        && (Character.isDigit(value.charAt(split)) || value.charAt(split) == '.')) {
      split++;
    }
    if (split == 0) {
      throw new IllegalArgumentException("not a size: " + text);
    }
    double number = Double.parseDouble(value.substring(0, split));
    long multiplier =
        switch (value.substring(split)) {
          case "", "b" -> 1L;
          case "k", "kb", "kib" -> 1L << 10;
          case "m", "mb", "mib" -> 1L << 20;
          case "g", "gb", "gib" -> 1L << 30;
          case "t", "tb", "tib" -> 1L << 40;
          default -> throw new IllegalArgumentException("unknown size unit in " + text);
        };
    return Math.round(number * multiplier);
  }

  /** {@code 250ms}, {@code 5s}, {@code 10m}, {@code 2h}, {@code 30d}; a plain number is seconds. */
  public static Duration parseDuration(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    int split = 0;
    while (split < value.length() && Character.isDigit(value.charAt(split))) {
      split++;
    }
    if (split == 0) {
      throw new IllegalArgumentException("not a duration: " + text);
    }
    long number = Long.parseLong(value.substring(0, split));
    return switch (value.substring(split).trim()) {
      case "ms" -> Duration.ofMillis(number);
      case "", "s" -> Duration.ofSeconds(number);
      case "m" -> Duration.ofMinutes(number);
      case "h" -> Duration.ofHours(number);
      case "d" -> Duration.ofDays(number);
      default -> throw new IllegalArgumentException("unknown duration unit in " + text);
    };
  }

  /** A duration as config files write it: {@code 5m}, {@code 30s}, {@code 250ms}. */
  public static String formatDuration(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 86_400_000 == 0 && millis > 0) {
      return millis / 86_400_000 + "d";
    }
    if (millis % 3_600_000 == 0 && millis > 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0 && millis > 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
