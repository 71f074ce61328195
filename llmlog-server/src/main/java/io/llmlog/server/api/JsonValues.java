package io.llmlog.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import io.llmlog.server.config.Units;
import java.time.Duration;
import java.time.Instant;

/** Values that may be absent, written as the API writes them everywhere: null, never left out. */
final class JsonValues {
  private JsonValues() {}

  static void text(ObjectNode node, String name, String value) {
    if (value == null) {
      node.putNull(name);
    } else {
      node.put(name, value);
    }
  }

  /** NaN is "no value". */
  static void number(ObjectNode node, String name, double value) {
    if (Double.isNaN(value)) {
      node.putNull(name);
    } else {
      node.put(name, value);
    }
  }

  /** A time as records carry it ({@link Timestamps#format}). */
  static void time(ObjectNode node, String name, Instant instant) {
    text(node, name, instant == null ? null : Timestamps.format(instant));
  }

  /** A time as the lifecycle's documents write it ({@link Instant#toString}). */
  static void instant(ObjectNode node, String name, Instant instant) {
    text(node, name, instant == null ? null : instant.toString());
  }

  /** A duration as config files write it ({@code 30d}). */
  static void duration(ObjectNode node, String name, Duration duration) {
    text(node, name, duration == null ? null : Units.formatDuration(duration));
  }
}
