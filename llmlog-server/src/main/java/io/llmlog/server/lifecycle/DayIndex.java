package io.llmlog.server.lifecycle;

import io.llmlog.server.store.IndexFamily;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One family's index for one UTC day, such as {@code llm-logs-2026.08.01}. Its age comes from the
 * day in its name, never from when the engine created it: a backfilled event and a restored index
 * keep the deadlines of the day they belong to.
 */
record DayIndex(IndexFamily family, LocalDate date, String name) {
  DayIndex {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(name, "name");
  }

  static DayIndex of(String prefix, IndexFamily family, LocalDate date) {
    return new DayIndex(family, date, family.index(prefix, day(date)));
  }

  /** The day index a name stands for under {@code prefix}, or null when it is not one. */
  static DayIndex parse(String prefix, String name) {
    if (!name.startsWith(prefix)) {
      return null;
    }
    String rest = name.substring(prefix.length());
    for (IndexFamily family : IndexFamily.values()) {
      if (rest.startsWith(family.stem())) {
        LocalDate date = parseDay(rest.substring(family.stem().length()));
        return date == null ? null : new DayIndex(family, date, name);
      }
    }
    return null;
  }

  /** {@code 2026.08.01} as a date, or null. */
  static LocalDate parseDay(String day) {
    if (day.length() != 10 || day.charAt(4) != '.' || day.charAt(7) != '.') {
      return null;
    }
    try {
      return LocalDate.parse(day.replace('.', '-'));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static String day(LocalDate date) {
    return String.format(
        "%04d.%02d.%02d", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
  }

  /** {@code YYYY.MM.dd}. */
  String day() {
    return day(date);
  }

  /** The end of the day (UTC): the newest event the index can hold is younger than this. */
  Instant end() {
    return date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The age of the newest event the index can hold; negative for days still to come. */
  Duration age(Instant now) {
    return Duration.between(end(), now);
  }

  /** When the day reaches an age; null for "never". */
  Instant when(Duration age) {
    return age == null ? null : end().plus(age);
  }
}
