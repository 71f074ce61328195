package io.llmlog.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Reads the timestamps applications actually write: ISO-8601 with {@code Z} or an offset (with or
 * without the colon), ISO-8601 without a zone (Python's naive {@code datetime.isoformat()}, which
 * the brief's logger emits), a space instead of {@code T}, a bare date, and epoch seconds or
 * milliseconds.
 */
public final class Timestamps {
  /**
   * Epoch values at or above this are milliseconds: as seconds they would lie after the year 5000.
   */
  private static final double MILLIS_THRESHOLD = 1e11;

  private static final DateTimeFormatter LOCAL =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .optionalStart()
          .appendLiteral('T')
          .optionalEnd()
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .toFormatter();

  private static final DateTimeFormatter OFFSET =
      new DateTimeFormatterBuilder()
          .append(LOCAL)
          .optionalStart()
          .appendOffset("+HH:MM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHMM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HH", "Z")
          .optionalEnd()
          .toFormatter();

  private Timestamps() {}

  /** Parses text, reading a time without a zone as UTC. */
  public static Instant parse(String text) {
    return parse(text, ZoneOffset.UTC);
  }

  /**
   * Parses text; a time without a zone is read in {@code naiveZone}.
   *
   * @throws InvalidFieldException naming {@code timestamp} when the text is not a timestamp
   */
  public static Instant parse(String text, ZoneId naiveZone) {
    if (text == null || text.isBlank()) {
      throw new InvalidFieldException(LogField.TIMESTAMP.jsonName(), "is required");
    }
    String trimmed = text.trim();
    Instant canonical = canonicalUtc(trimmed);
    if (canonical != null) {
      return canonical;
    }
    if (isEpochNumber(trimmed)) {
      return fromEpoch(new BigDecimal(trimmed));
    }
    try {
      var parsed = OFFSET.parseBest(trimmed, OffsetDateTime::from, LocalDateTime::from);
      if (parsed instanceof OffsetDateTime offset) {
        return offset.toInstant();
      }
      return ((LocalDateTime) parsed).atZone(naiveZone).toInstant();
    } catch (DateTimeParseException notDateTime) {
      try {
        return LocalDate.parse(trimmed).atStartOfDay(naiveZone).toInstant();
      } catch (DateTimeParseException notDate) {
        throw new InvalidFieldException(
            LogField.TIMESTAMP.jsonName(),
            "is not an ISO-8601 timestamp or epoch number: " + Texts.quote(text));
      }
    }
  }

  /**
   * Epoch seconds, or milliseconds when the value is too large to be seconds. A double carries
   * about 16 digits, so the fraction is kept to the microsecond.
   */
  public static Instant fromEpoch(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
      throw new InvalidFieldException(
          LogField.TIMESTAMP.jsonName(), "must be a non-negative epoch number, was " + value);
    }
    return fromEpoch(
        BigDecimal.valueOf(value)
            .setScale(value >= MILLIS_THRESHOLD ? 3 : 6, RoundingMode.HALF_UP));
  }

  private static Instant fromEpoch(BigDecimal value) {
    BigDecimal seconds =
        value.compareTo(BigDecimal.valueOf(MILLIS_THRESHOLD)) >= 0 ? value.movePointLeft(3) : value;
    BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
    try {
      long nanos =
          seconds
              .subtract(whole)
              .movePointRight(9)
              .setScale(0, RoundingMode.HALF_UP)
              .longValueExact();
      return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw new InvalidFieldException(
          LogField.TIMESTAMP.jsonName(), "epoch value out of range: " + value);
    }
  }

  /** ISO-8601 in UTC, as {@link Instant#toString()}: what llmlog writes everywhere. */
  public static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  /** The UTC day of an instant as the brief's index suffix, {@code YYYY.MM.dd}. */
  public static String day(Instant instant) {
    var date = instant.atOffset(ZoneOffset.UTC);
    int year = date.get(ChronoField.YEAR);
    int month = date.getMonthValue();
    int day = date.getDayOfMonth();
    return year + "." + (month < 10 ? "0" : "") + month + "." + (day < 10 ? "0" : "") + day;
  }

  /**
   * The form llmlog itself writes ({@link #format}) and most shippers send, {@code
   * 2026-11-28T08:30:15.123Z} (0 to 9 fraction digits), read without the general formatter, which
   * costs more than the rest of a record's ingest bookkeeping put together: a stored call's time is
   * parsed several times on its way in. Null for anything else, which then takes the general path.
   */
  private static Instant canonicalUtc(String text) {
    int length = text.length();
    if (length < 20
        || length > 30
        || text.charAt(length - 1) != 'Z'
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int nanos = 0;
    if (length > 20) {
      if (text.charAt(19) != '.' || length == 21) {
        return null;
      }
      int fraction = digits(text, 20, length - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = length - 1 - 20; i < 9; i++) {
        nanos *= 10;
      }
    }
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > java.time.YearMonth.of(year, month).lengthOfMonth()
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, nanos);
  }

  /** The decimal number in {@code text[from, to)}, or -1 when a character is not a digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isEpochNumber(String text) {
    int dots = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.') {
        dots++;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return dots <= 1 && !text.isEmpty() && text.charAt(0) != '.';
  }
}
