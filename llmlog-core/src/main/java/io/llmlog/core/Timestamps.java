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
  /** Epoch values at or above this are milliseconds: as seconds they would lie after the year 5000. */
  private static final double MILLIS_THRESHOLD = 1e11;

  private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart().appendLiteral(' ').optionalEnd()
      .append(DateTimeFormatter.ISO_LOCAL_TIME)
      .toFormatter();

  private static final DateTimeFormatter OFFSET = new DateTimeFormatterBuilder()
      .append(LOCAL)
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HH", "Z").optionalEnd()
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
        throw new InvalidFieldException(LogField.TIMESTAMP.jsonName(), "is not an ISO-8601 timestamp or epoch number: " + Texts.quote(text));
      }
    }
  }

  /**
   * Epoch seconds, or milliseconds when the value is too large to be seconds. A double carries
   * about 16 digits, so the fraction is kept to the microsecond.
   */
  public static Instant fromEpoch(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
      throw new InvalidFieldException(LogField.TIMESTAMP.jsonName(), "must be a non-negative epoch number, was " + value);
    }
    return fromEpoch(BigDecimal.valueOf(value).setScale(value >= MILLIS_THRESHOLD ? 3 : 6, RoundingMode.HALF_UP));
  }

  private static Instant fromEpoch(BigDecimal value) {
    BigDecimal seconds = value.compareTo(BigDecimal.valueOf(MILLIS_THRESHOLD)) >= 0 ? value.movePointLeft(3) : value;
    BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
    try {
      long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
      return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw new InvalidFieldException(LogField.TIMESTAMP.jsonName(), "epoch value out of range: " + value);
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
