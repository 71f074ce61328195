package io.llmlog.server.ingest;

import io.llmlog.core.FieldType;
import io.llmlog.core.InvalidFieldException;
import io.llmlog.core.LogField;
import io.llmlog.core.LogLevel;
import io.llmlog.core.QualityField;
import io.llmlog.core.SpanField;
import io.llmlog.core.Texts;
import io.llmlog.core.Timestamps;
import io.llmlog.core.codec.FieldValues;
import io.llmlog.core.message.Messages;
import io.llmlog.server.config.LlmlogConfig;
import io.llmlog.server.config.Units;
import io.llmlog.server.pipeline.Event;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The last check before a record is stored: every canonical field ({@link LogField}) has the type
 * and range of the index template, numbers sent as text become numbers, and the record has a {@code
 * request_id} the engine can use as a document id. Breaking a rule rejects the record with the
 * field's name; its neighbours in the batch are unaffected.
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
        case LEVEL ->
            event.set(
                field.jsonName(),
                LogLevel.parse(FieldValues.scalar(value, field.jsonName())).value());
        case METADATA -> checkMetadata(requireObject(value, field.jsonName()));
        default ->
            event.set(
                field.jsonName(),
                field.isList()
                    ? FieldValues.strings(value, field.jsonName())
                    : normalise(field.type(), field, value));
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
        case ANNOTATIONS -> event.set(name, FieldValues.strings(value, name));
        case RATING -> event.set(name, (long) FieldValues.integer(value, name));
        case SCORES -> {
          Map<String, Object> scores = Event.cast(requireObject(value, name));
          scores.replaceAll((score, item) -> FieldValues.number(item, name + "." + score));
        }
        default ->
            event.set(
                name,
                field.type() == FieldType.TEXT
                    ? text(value, name)
                    : FieldValues.scalar(value, name));
      }
    }
  }

  /**
   * Checks and normalises a step record in place: W3C ids, a kind, a status and a source llmlog
   * knows.
   */
  void checkSpan(Event event) {
    hexId(event, SpanField.TRACE_ID.jsonName(), 32, true);
    hexId(event, SpanField.SPAN_ID.jsonName(), 16, true);
    hexId(event, SpanField.PARENT_ID.jsonName(), 16, false);
    if (!(event.get(SpanField.NAME.jsonName()) instanceof String spanName)
        || Texts.isBlank(spanName)) {
      throw new InvalidFieldException(
          SpanField.NAME.jsonName(),
          "is required: the step's name, such as 'execute_tool get_weather'");
    }
    if (!event.has(SpanField.KIND.jsonName())) {
      event.set(SpanField.KIND.jsonName(), "other");
    }
    if (!event.has(SpanField.SOURCE.jsonName())) {
      event.set(SpanField.SOURCE.jsonName(), "sdk");
    }
    for (SpanField field : SpanField.values()) {
      String name = field.jsonName();
      Object value = event.get(name);
      if (value == null) {
        continue;
      }
      switch (field) {
        case TIMESTAMP -> event.set(name, timestamp(value, name));
        case LEVEL -> event.set(name, LogLevel.parse(FieldValues.scalar(value, name)).value());
        case KIND -> event.set(name, oneOf(value, name, SpanField.KINDS));
        case STATUS -> event.set(name, oneOf(value, name, SpanField.STATUSES));
        case SOURCE -> event.set(name, oneOf(value, name, SpanField.SOURCES));
        case METADATA -> checkMetadata(requireObject(value, name));
        case DURATION_MS, SAMPLE_WEIGHT -> event.set(name, nonNegative(value, name));
        default ->
            event.set(
                name,
                field.isList()
                    ? FieldValues.strings(value, name)
                    : field.type() == FieldType.TEXT
                        ? text(value, name)
                        : FieldValues.scalar(value, name));
      }
    }
    if (!event.has(SpanField.TIMESTAMP.jsonName())) {
      throw new InvalidFieldException(
          SpanField.TIMESTAMP.jsonName(), "is required: when the step started");
    }
  }

  /**
   * A W3C trace or span id: {@code digits} hex digits, stored in lower case; all zeros is no id.
   */
  private static void hexId(Event event, String name, int digits, boolean required) {
    Object value = event.get(name);
    if (value == null) {
      if (required) {
        throw new InvalidFieldException(name, "is required: " + digits + " hex digits");
      }
      return;
    }
    String id = FieldValues.scalar(value, name).toLowerCase(Locale.ROOT);
    if (id.length() != digits
        || !id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
        || id.chars().allMatch(c -> c == '0')) {
      throw new InvalidFieldException(
          name,
          "must be "
              + digits
              + " hex digits, not all zero, was "
              + Texts.quote(id.length() > 64 ? id.substring(0, 64) + "…" : id));
    }
    event.set(name, id);
  }

  private static String oneOf(Object value, String name, List<String> allowed) {
    String text = FieldValues.scalar(value, name).trim().toLowerCase(Locale.ROOT);
    if (!allowed.contains(text)) {
      throw new InvalidFieldException(
          name, "must be one of " + String.join(", ", allowed) + ", was " + Texts.quote(text));
    }
    return text;
  }

  private static double nonNegative(Object value, String name) {
    double number = FieldValues.number(value, name);
    if (number < 0) {
      throw new InvalidFieldException(name, "must be >= 0, was " + number);
    }
    return number;
  }

  private static void requireId(Event event, String name) {
    Object value = event.get(name);
    if (value == null) {
      throw new InvalidFieldException(name, "is required");
    }
    String id = FieldValues.scalar(value, name);
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
      case INTEGER -> (long) field.check(FieldValues.integer(value, name));
      case FLOAT, DOUBLE -> field.check(FieldValues.number(value, name));
      case TEXT -> text(value, name);
      case BOOLEAN ->
          value instanceof Boolean ? value : Boolean.parseBoolean(FieldValues.scalar(value, name));
      case MESSAGES -> Messages.normalize(value, name);
      default -> FieldValues.scalar(value, name);
    };
  }

  /**
   * A time within bounds: each day is an index that ages from its date, so a record from the year
   * 99999 would make an index no lifecycle ever reaches.
   */
  private String timestamp(Object value, String name) {
    Instant instant = FieldValues.instant(value, name);
    if (instant.isBefore(EARLIEST)) {
      throw new InvalidFieldException(
          name,
          "is before 2000 (" + Timestamps.format(instant) + "): a wrong unit or an unset value?");
    }
    Instant latest = clock.instant().plus(limits.maxFutureSkew());
    if (instant.isAfter(latest)) {
      throw new InvalidFieldException(
          name,
          "is more than "
              + Units.formatDuration(limits.maxFutureSkew())
              + " in the future ("
              + Timestamps.format(instant)
              + "; the limit limits.max_future_skew)");
    }
    return Timestamps.format(instant);
  }

  /**
   * Metadata keys become fields of the day's index: bounded per record, so one record cannot use up
   * the index's field limit.
   */
  private void checkMetadata(Object metadata) {
    int keys = countLeaves(metadata);
    if (keys > limits.maxMetadataKeys()) {
      throw new InvalidFieldException(
          LogField.METADATA.jsonName(),
          "has "
              + keys
              + " keys, more than "
              + limits.maxMetadataKeys()
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
}
