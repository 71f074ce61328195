package io.llmlog.server.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The width of the time buckets of {@code /api/v1/stats}: a fixed interval such as {@code 5m}, or
 * {@code auto}, which picks the first round width that cuts the range into at most {@value
 * #AUTO_BUCKETS} buckets (a chart's worth).
 *
 * @param text the engine's {@code fixed_interval}, such as {@code 5m}
 */
record Interval(String text, Duration duration) {
  static final int AUTO_BUCKETS = 60;

  /** More buckets than this is not a chart but a dump, and a heavy search. */
  static final int MAX_BUCKETS = 2_000;

  private static final Pattern FIXED = Pattern.compile("(\\d{1,6})([smhd])");
  private static final List<String> ROUND =
      List.of(
          "1s", "5s", "10s", "30s", "1m", "2m", "5m", "10m", "15m", "30m", "1h", "2h", "3h", "6h",
          "12h", "1d", "2d", "7d", "14d", "30d", "90d", "180d", "365d");

  /**
   * The interval for the parameter, or null when there is none.
   *
   * @throws InvalidParameterException naming {@code interval} for anything else, or too many
   *     buckets
   */
  static Interval parse(String value, TimeRange range) {
    if (value == null || value.isBlank()) {
      return null;
    }
    // Not lower-cased: 1M would read as a minute where a user may have meant a month.
    String text = value.trim();
    Duration span = Duration.between(range.from(), range.to());
    if (text.equalsIgnoreCase("auto")) {
      for (String round : ROUND) {
        Interval candidate = fixed(round);
        if (span.toMillis() <= AUTO_BUCKETS * candidate.duration().toMillis()) {
          return candidate;
        }
      }
      return fixed(ROUND.get(ROUND.size() - 1));
    }
    Matcher m = FIXED.matcher(text);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new InvalidParameterException(
          "interval",
          "expected auto or a fixed width such as 30s, 5m, 1h or 1d, was '" + value + "'");
    }
    Interval interval = fixed(text);
    long buckets = buckets(span, interval.duration());
    if (buckets > MAX_BUCKETS) {
      throw new InvalidParameterException(
          "interval",
          value
              + " cuts the range into "
              + buckets
              + " buckets, more than "
              + MAX_BUCKETS
              + "; use a wider interval or auto");
    }
    return interval;
  }

  private static Interval fixed(String text) {
    long amount = Long.parseLong(text.substring(0, text.length() - 1));
    Duration duration =
        switch (text.charAt(text.length() - 1)) {
          case 's' -> Duration.ofSeconds(amount);
          case 'm' -> Duration.ofMinutes(amount);
          case 'h' -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
    return new Interval(text, duration);
  }

  /**
   * A {@code date_histogram} on {@code timestamp} of this width over the whole of {@code range}
   * (both ends set), empty buckets included, so that a chart has no gaps.
   */
  void writeHistogram(ObjectNode agg, TimeRange range) {
    ObjectNode histogram = agg.putObject("date_histogram");
    histogram.put("field", "timestamp");
    histogram.put("fixed_interval", text);
    histogram.put("min_doc_count", 0);
    histogram
        .putObject("extended_bounds")
        .put("min", range.from().toEpochMilli())
        .put("max", range.to().toEpochMilli());
  }

  /**
   * At most this many buckets, aligned to multiples of the width as the engine aligns them, cover
   * the span.
   */
  static long buckets(Duration span, Duration width) {
    return span.toMillis() / width.toMillis() + 2;
  }
}
