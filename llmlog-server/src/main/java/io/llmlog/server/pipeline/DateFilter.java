package io.llmlog.server.pipeline;

import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.LogField;
import io.llmlog.core.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * The brief's Logstash {@code date} filter: finds the event's time in the first source field that
 * has one ({@code timestamp}, then {@code @timestamp} as shippers write it), reads it with the
 * configured formats — by default ISO-8601 (with or without a zone), a space-separated date-time
 * and epoch seconds or milliseconds; also {@code UNIX}, {@code UNIX_MS} and Java date patterns such
 * as Apache's {@code dd/MMM/yyyy:HH:mm:ss Z} — and writes it to {@code timestamp} as ISO-8601 UTC.
 * Times without a zone are read in the configured time zone (UTC by default). An event without a
 * time gets the time it arrived, as Logstash does.
 */
final class DateFilter implements Filter {
  private final List<String> sources;
  private final List<String> formats;
  private final ZoneId naiveZone;
  private final Clock clock;
  private final List<java.time.format.DateTimeFormatter> patterns = new java.util.ArrayList<>();

  DateFilter(List<String> sources, List<String> formats, ZoneId naiveZone, Clock clock) {
    this.sources = sources.stream().map(FieldReference::path).toList();
    this.formats = List.copyOf(formats);
    this.naiveZone = naiveZone;
    this.clock = clock;
    for (String format : formats) {
      if (!format.equals("ISO8601") && !format.equals("UNIX") && !format.equals("UNIX_MS")) {
        patterns.add(
            java.time.format.DateTimeFormatter.ofPattern(format, java.util.Locale.ENGLISH)
                .withZone(naiveZone));
      }
    }
  }

  DateFilter(List<String> sources, ZoneId naiveZone, Clock clock) {
    this(sources, List.of(), naiveZone, clock);
  }

  @Override
  public String name() {
    return "date";
  }

  @Override
  public boolean apply(Event event) {
    String field = LogField.TIMESTAMP.jsonName();
    for (String source : sources) {
      Object value = event.get(source);
      if (value == null) {
        continue;
      }
      Instant instant = parse(source, value);
      if (!source.equals(field)) {
        event.remove(source);
      }
      event.set(field, Timestamps.format(instant));
      return true;
    }
    event.set(field, Timestamps.format(clock.instant()));
    return true;
  }

  private Instant parse(String source, Object value) {
    if (formats.isEmpty()) {
      return switch (value) {
        case Number number -> Timestamps.fromEpoch(number.doubleValue());
        case String text -> Timestamps.parse(text, naiveZone);
        default ->
            throw new InvalidFieldException(source, "must be a timestamp string or epoch number");
      };
    }
    String text = value.toString().trim();
    int pattern = 0;
    for (String format : formats) {
      try {
        switch (format) {
          case "ISO8601" -> {
            return Timestamps.parse(text, naiveZone);
          }
          case "UNIX" -> {
            return Timestamps.fromEpoch(Double.parseDouble(text));
          }
          case "UNIX_MS" -> {
            return Instant.ofEpochMilli((long) Double.parseDouble(text));
          }
          default -> {
            return java.time.ZonedDateTime.parse(text, patterns.get(pattern++)).toInstant();
          }
        }
      } catch (RuntimeException notThisFormat) {
        // Try the next format, as Logstash's date filter does.
      }
    }
    throw new InvalidFieldException(
        source, "matches none of the formats " + formats + ": " + io.llmlog.core.Texts.quote(text));
  }
}
