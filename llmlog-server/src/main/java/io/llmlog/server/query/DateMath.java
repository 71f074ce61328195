package io.llmlog.server.query;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Elasticsearch's date math, evaluated here rather than in the engine so that a bad value is a 400
 * naming the parameter, {@code interval=auto} knows the range, and tests can fix "now" with a
 * clock.
 *
 * <ul>
 *   <li>{@code now}, {@code now-1h}, {@code now-1d/d}, {@code now/w}: units {@code y M w d h H m
 *       s}, {@code +}/{@code -} to add or subtract, {@code /unit} to round; weeks start on Monday,
 *       and everything is in UTC.
 *   <li>ISO-8601: {@code 2026-11-28}, {@code 2026-11-28T08:30}, {@code 2026-11-28T08:30:00.5+08:00}
 *       (a space may replace the {@code T}; no zone means UTC), optionally followed by math: {@code
 *       2026-11-28||+1M/d}.
 *   <li>Epoch milliseconds: {@code 1764316800000}.
 * </ul>
 *
 * <p>As in Elasticsearch's {@code range} query, an upper bound ({@code roundUp}) is rounded up to
 * the last millisecond of its unit: {@code to=now/d} and {@code to=2026-11-28} both include the
 * whole day, while {@code from=now/d} starts at midnight.
 */
public final class DateMath {
  private static final Pattern EPOCH_MILLIS = Pattern.compile("\\d{1,15}");
  private static final Pattern OPERATION =
      Pattern.compile("([+-])(\\d{1,9})([yMwdhHms])|/([yMwdhHms])");

  private static final DateTimeFormatter LOCAL =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .optionalStart()
          .appendLiteral('T')
          .optionalEnd()
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .toFormatter();
  private static final DateTimeFormatter ZONED =
      new DateTimeFormatterBuilder()
          .append(LOCAL)
          .optionalStart()
          .appendOffset("+HH:MM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHMM", "Z")
          .optionalEnd()
          .toFormatter();

  private DateMath() {}

  /**
   * The instant {@code text} names.
   *
   * @param now what {@code now} is
   * @param roundUp true for an upper bound: roundings and incomplete times go to the end of their
   *     unit
   * @throws IllegalArgumentException saying what was expected, when {@code text} is none of the
   *     forms
   */
  public static Instant resolve(String text, Instant now, boolean roundUp) {
    String value = text.trim();
    String anchor;
    String math;
    if (value.startsWith("now")) {
      anchor = "now";
      math = value.substring(3);
    } else {
      int bars = value.indexOf("||");
      anchor = bars < 0 ? value : value.substring(0, bars);
      math = bars < 0 ? "" : value.substring(bars + 2);
    }
    Absolute start =
        anchor.equals("now")
            ? new Absolute(now.atZone(ZoneOffset.UTC), null)
            : absolute(anchor, text);
    ZonedDateTime time = start.time();
    ChronoUnit lastRounding = null;
    Matcher m = OPERATION.matcher(math);
    int at = 0;
    while (at < math.length()) {
      if (!m.find(at) || m.start() != at) {
        throw invalid(text);
      }
      if (m.group(4) != null) {
        lastRounding = unit(m.group(4).charAt(0));
        time = roundDown(time, lastRounding);
      } else {
        long amount = Long.parseLong(m.group(2)) * (m.group(1).equals("-") ? -1 : 1);
        time = time.plus(amount, unit(m.group(3).charAt(0)));
        lastRounding = null;
      }
      at = m.end();
    }
    // The precision left over at the end decides how far an upper bound reaches: the rounding just
    // applied, or the digits a plain date left out (2026-11-28 as an upper bound means the whole
    // day).
    ChronoUnit precision =
        lastRounding != null ? lastRounding : math.isEmpty() ? start.precision() : null;
    if (roundUp && precision != null) {
      time = time.plus(1, precision).minus(1, ChronoUnit.MILLIS);
    }
    return time.toInstant().truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * An absolute time and the unit its text stopped at (null when it was given to the millisecond or
   * finer).
   */
  private record Absolute(ZonedDateTime time, ChronoUnit precision) {}

  private static Absolute absolute(String anchor, String text) {
    if (EPOCH_MILLIS.matcher(anchor).matches()) {
      return new Absolute(
          Instant.ofEpochMilli(Long.parseLong(anchor)).atZone(ZoneOffset.UTC), null);
    }
    try {
      var parsed = ZONED.parseBest(anchor, OffsetDateTime::from, LocalDateTime::from);
      ZonedDateTime time =
          parsed instanceof OffsetDateTime offset
              ? offset.atZoneSameInstant(ZoneOffset.UTC)
              : ((LocalDateTime) parsed).atZone(ZoneOffset.UTC);
      return new Absolute(time, timePrecision(anchor));
    } catch (DateTimeParseException notDateTime) {
      try {
        return new Absolute(LocalDate.parse(anchor).atStartOfDay(ZoneOffset.UTC), ChronoUnit.DAYS);
      } catch (DateTimeParseException notDate) {
        throw invalid(text);
      }
    }
  }

  /** 08:30 is a minute, 08:30:15 a second; with a fraction, the time is exact enough. */
  private static ChronoUnit timePrecision(String anchor) {
    int t = Math.max(anchor.indexOf('T'), anchor.indexOf(' '));
    String time = anchor.substring(t + 1).replaceAll("(Z|[+-]\\d\\d:?\\d\\d)$", "");
    if (time.contains(".")) {
      return null;
    }
    return time.length() <= 5 ? ChronoUnit.MINUTES : ChronoUnit.SECONDS;
  }

  private static ChronoUnit unit(char symbol) {
    return switch (symbol) {
      case 'y' -> ChronoUnit.YEARS;
      case 'M' -> ChronoUnit.MONTHS;
      case 'w' -> ChronoUnit.WEEKS;
      case 'd' -> ChronoUnit.DAYS;
      case 'h', 'H' -> ChronoUnit.HOURS;
      case 'm' -> ChronoUnit.MINUTES;
      case 's' -> ChronoUnit.SECONDS;
      default -> throw new IllegalStateException("unit " + symbol);
    };
  }

  private static ZonedDateTime roundDown(ZonedDateTime time, ChronoUnit unit) {
    try {
      return switch (unit) {
        case YEARS -> time.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
        case MONTHS -> time.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        case WEEKS ->
            time.truncatedTo(ChronoUnit.DAYS)
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        default -> time.truncatedTo(unit);
      };
    } catch (DateTimeException e) {
      throw new IllegalStateException(e);
    }
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "expected an ISO-8601 time (2026-11-28 or 2026-11-28T08:30:00Z), epoch milliseconds "
            + "or date math (now-1h, now/d, now-7d/d), was '"
            + text
            + "'");
  }
}
