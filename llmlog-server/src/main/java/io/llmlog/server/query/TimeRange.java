package io.llmlog.server.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The {@code from}/{@code to} window of a search, resolved to instants (either end may be open).
 * Both ends are inclusive, as the engine's {@code gte}/{@code lte}.
 */
public record TimeRange(Instant from, Instant to) {
  public TimeRange {
    if (from != null && to != null && from.isAfter(to)) {
      throw new InvalidParameterException("from", "is after to (" + from + " > " + to + ")");
    }
  }

  /**
   * Resolves the parameters as typed; null or blank means open.
   *
   * @throws InvalidParameterException naming {@code from} or {@code to} when a value is not a time
   */
  public static TimeRange parse(String from, String to, Instant now) {
    return new TimeRange(bound("from", from, now, false), bound("to", to, now, true));
  }

  private static Instant bound(String name, String value, Instant now, boolean roundUp) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return DateMath.resolve(value, now, roundUp);
    } catch (IllegalArgumentException e) {
      throw new InvalidParameterException(name, e.getMessage());
    }
  }

  /**
   * This window with both ends set: an open end is {@code now}, an open start {@code window} before
   * the end. Stats and histograms always read a bounded window, so they never scan years.
   */
  TimeRange bounded(Instant now, java.time.Duration window) {
    Instant end = to == null ? now : to;
    return new TimeRange(from == null ? end.minus(window) : from, end);
  }

  /** True when neither end is set. */
  public boolean isOpen() {
    return from == null && to == null;
  }

  /**
   * Adds this window as a {@code range} on {@code timestamp} to a {@code bool.filter}, if it has an
   * end.
   */
  public void addTo(ArrayNode filter) {
    if (isOpen()) {
      return;
    }
    ObjectNode range = filter.addObject().putObject("range").putObject("timestamp");
    if (from != null) {
      range.put("gte", from.toEpochMilli());
    }
    if (to != null) {
      range.put("lte", to.toEpochMilli());
    }
    range.put("format", "epoch_millis");
  }
}
