package io.llmlog.client;

import io.llmlog.core.SpanField;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A finished step, ready to queue: its fields by {@link SpanField}, each a {@code String}, a {@code
 * Double} ({@code duration_ms}), a {@code List<String>} ({@code retrieval.document_ids}) or a
 * {@code Map<String, String>} ({@code metadata}). Immutable; the reporter thread encodes and
 * redacts it.
 */
final class StepRecord {
  private final Map<SpanField, Object> fields;

  StepRecord(Map<SpanField, Object> fields) {
    this.fields = Collections.unmodifiableMap(new EnumMap<>(fields));
  }

  /** The fields, in {@link SpanField}'s order. */
  Map<SpanField, Object> fields() {
    return fields;
  }

  Object get(SpanField field) {
    return fields.get(field);
  }

  /** A copy with {@code field} set to {@code value}. */
  StepRecord with(SpanField field, Object value) {
    EnumMap<SpanField, Object> changed = new EnumMap<>(fields);
    changed.put(field, value);
    return new StepRecord(changed);
  }

  @Override
  public String toString() {
    return "StepRecord" + fields;
  }
}
