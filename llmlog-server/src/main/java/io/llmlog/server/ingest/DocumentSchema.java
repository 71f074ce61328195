package io.llmlog.server.ingest;

import io.llmlog.core.FieldType;
import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.LogField;
import io.llmlog.core.LogLevel;
import io.llmlog.core.QualityField;
import io.llmlog.core.Texts;
import io.llmlog.core.Timestamps;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.Units;
import io.llmlog.server.pipeline.Event;
import java.time.Clock;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The last check before a record is stored: every canonical field ({@link LogField}) has the type
 * and range of the index template, numbers sent as text become numbers, and the record has a
 * {@code request_id} the engine can use as a document id. Breaking a rule rejects the record with
 * the field's name; its neighbours in the batch are unaffected.
 */
final class DocumentSchema {
  /** The engine's limit for a document id. */
  static final int MAX_ID_BYTES = 512;
  /** Earlier times are a wrong unit or a zero value, not an LLM call. */
  static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  private final LlmlogConfig.Limits limits;
  private final Clock clock;

  DocumentSchema(LlmlogConfig.Limits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** Checks and normalises a call record in place. */
  void checkCall(Event event) {
    requireId(event, LogField.REQUEST_ID.jsonName());
    for (LogField field : LogField.values()) {
      Object value = event.get(field.jsonName());
      if (value == null) {
        continue;
      }
      switch (field) {
        case TIMESTAMP -> event.set(field.jsonName(), timestamp(value, field.jsonName()));
        case LEVEL -> event.set(field.jsonName(), LogLevel.parse(scalar(value, field.jsonName())).value());
        case METADATA -> checkMetadata(requireObject(value, field.jsonName()));
        default -> event.set(field.jsonName(), field.isList() ? strings(value, field.jsonName()) : normalise(field.type(), field, value));
      }
    }
    Object error = event.get("error");
    if (error != null && !(error instanceof Map)) {
      throw new InvalidFieldException("error", "must be an object with type and message");
    }
  }

  /** Checks and normalises a quality record in place. */
  void checkQuality(Event event) {
    requireId(event, QualityField.REQUEST_ID.jsonName());
    for (QualityField field : QualityField.values()) {
      String name = field.jsonName();
      Object value = event.get(name);
      if (value == null) {
        continue;
      }
      switch (field) {
        case TIMESTAMP, EVALUATED_AT -> event.set(name, timestamp(value, name));
        case ANNOTATIONS -> event.set(name, strings(value, name));
        case RATING -> event.set(name, (long) number(value, name, true));
        case SCORES -> {
          Map<String, Object> scores = Event.cast(requireObject(value, name));
          scores.replaceAll((score, item) -> number(item, name + "." + score, false));
        }
        default -> event.set(name, field.type() == FieldType.TEXT ? text(value, name) : scalar(value, name));
      }
    }
  }

  private static void requireId(Event event, String name) {
    Object value = event.get(name);
    if (value == null) {
      throw new InvalidFieldException(name, "is required");
    }
    String id = scalar(value, name);
    if (Texts.isBlank(id)) {
      throw new InvalidFieldException(name, "must not be blank");
    }
    if (id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
      throw new InvalidFieldException(name, "must be at most " + MAX_ID_BYTES + " bytes");
    }
    event.set(name, id);
  }

  private static Object normalise(FieldType type, LogField field, Object value) {
    String name = field.jsonName();
    return switch (type) {
      case INTEGER -> (long) field.check(number(value, name, true));
      case FLOAT, DOUBLE -> field.check(number(value, name, false));
      case TEXT -> text(value, name);
      case BOOLEAN -> value instanceof Boolean ? value : Boolean.parseBoolean(scalar(value, name));
      default -> scalar(value, name);
    };
  }

  /**
   * A time within bounds: each day is an index that ages from its date, so a record from the year
   * 99999 would make an index no lifecycle ever reaches.
   */
  private String timestamp(Object value, String name) {
    Instant instant;
    if (value instanceof Number number) {
      instant = Timestamps.fromEpoch(number.doubleValue());
    } else if (value instanceof String text) {
      instant = Timestamps.parse(text);
    } else {
      throw new InvalidFieldException(name, "must be an ISO-8601 timestamp or epoch number");
    }
    if (instant.isBefore(EARLIEST)) {
      throw new InvalidFieldException(name, "is before 2000 (" + Timestamps.format(instant) + "): a wrong unit or an unset value?");
    }
    Instant latest = clock.instant().plus(limits.maxFutureSkew());
    if (instant.isAfter(latest)) {
      throw new InvalidFieldException(name, "is more than " + Units.formatDuration(limits.maxFutureSkew()) + " in the future ("
          + Timestamps.format(instant) + "; the limit limits.max_future_skew)");
    }
    return Timestamps.format(instant);
  }

  /** Metadata keys become fields of the day's index: bounded per record, so one record cannot use up the index's field limit. */
  private void checkMetadata(Object metadata) {
    int keys = countLeaves(metadata);
    if (keys > limits.maxMetadataKeys()) {
      throw new InvalidFieldException(LogField.METADATA.jsonName(), "has " + keys + " keys, more than " + limits.maxMetadataKeys()
          + " (the limit limits.max_metadata_keys)");
    }
  }

  private static int countLeaves(Object value) {
    if (value instanceof Map<?, ?> map) {
      int count = 0;
      for (Object child : map.values()) {
        count += countLeaves(child);
      }
      return count;
    }
    return 1;
  }

  private static double number(Object value, String name, boolean whole) {
    double number;
    if (value instanceof Number n) {
      number = n.doubleValue();
    } else if (value instanceof String text) {
      try {
        number = Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        throw new InvalidFieldException(name, "must be a number, was " + Texts.quote(text));
      }
    } else {
      throw new InvalidFieldException(name, "must be a number");
    }
    if (Double.isNaN(number) || Double.isInfinite(number)) {
      throw new InvalidFieldException(name, "must be a finite number, was " + number);
    }
    if (whole && (number != Math.rint(number) || Math.abs(number) > Integer.MAX_VALUE)) {
      throw new InvalidFieldException(name, "must be a whole number that fits 32 bits, was " + number);
    }
    return number;
  }

  private static String scalar(Object value, String name) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    throw new InvalidFieldException(name, "must be a string");
  }

  private static String text(Object value, String name) {
    if (value instanceof String text) {
      return text;
    }
    throw new InvalidFieldException(name, "must be a string");
  }

  private static Object requireObject(Object value, String name) {
    if (!(value instanceof Map)) {
      throw new InvalidFieldException(name, "must be an object");
    }
    return value;
  }

  private static List<String> strings(Object value, String name) {
    if (value instanceof List<?> items) {
      List<String> strings = new ArrayList<>(items.size());
      for (Object item : items) {
        if (item != null) {
          strings.add(scalar(item, name));
        }
      }
      return strings;
    }
    return List.of(scalar(value, name));
  }
}
