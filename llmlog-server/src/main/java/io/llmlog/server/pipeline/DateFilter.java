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
 * has one ({@code timestamp}, then {@code @timestamp} as shippers write it), reads ISO-8601 (with
 * or without a zone), a space-separated date-time or epoch seconds/milliseconds, and writes it to
 * {@code timestamp} as ISO-8601 UTC. An event without a time gets the time it arrived, as Logstash
 * does.
 */
final class DateFilter implements Filter {
  private final List<String> sources;
  private final ZoneId naiveZone;
  private final Clock clock;

  DateFilter(List<String> sources, ZoneId naiveZone, Clock clock) {
    this.sources = List.copyOf(sources);
    this.naiveZone = naiveZone;
    this.clock = clock;
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
      Instant instant = switch (value) {
        case Number number -> Timestamps.fromEpoch(number.doubleValue());
        case String text -> Timestamps.parse(text, naiveZone);
        default -> throw new InvalidFieldException(source, "must be a timestamp string or epoch number");
      };
      if (!source.equals(field)) {
        event.remove(source);
      }
      event.set(field, Timestamps.format(instant));
      return true;
    }
    event.set(field, Timestamps.format(clock.instant()));
    return true;
  }
}
