package io.llmlog.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogField;
import io.llmlog.core.QualityLogEntry;
import io.llmlog.core.SpanField;
import io.llmlog.core.Texts;
import io.llmlog.core.codec.LlmLogJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns records into the bytes a sender ships, on the reporter's thread. One instance per reporter:
 * it reuses its buffer, so it is not thread-safe.
 */
final class RecordEncoder {
  /** How records are written. */
  enum Format {
    /**
     * The brief's logger line for calls ({@link LlmLogJson#briefLine}); the quality document for
     * feedback.
     */
    LINE,
    /**
     * The flat document ({@link LlmLogJson#writeDocument}), one per NDJSON line, as the server
     * ingests.
     */
    DOCUMENT
  }

  private final Format format;
  private final String service;
  private final ByteArrayBuilder buffer = new ByteArrayBuilder(4096);

  RecordEncoder(Format format, String service) {
    this.format = format;
    this.service = service;
  }

  Format format() {
    return format;
  }

  /** The encoded call record, carrying {@code sample_weight} when the weight is not 1. */
  byte[] encode(LlmLogEntry entry, double weight) {
    return encode(entry, weight, List.of());
  }

  /**
   * The encoded call record, with {@code sample_weight} when the weight is not 1 and {@code
   * redacted} naming the kinds of data the SDK replaced, when it replaced any.
   */
  byte[] encode(LlmLogEntry entry, double weight, Collection<String> redacted) {
    Map<String, Object> extra = extraFields(weight, redacted);
    if (format == Format.LINE) {
      return LlmLogJson.briefLine(entry, service, extra).getBytes(StandardCharsets.UTF_8);
    }
    try (JsonGenerator gen = LlmLogJson.factory().createGenerator(buffer)) {
      LlmLogJson.writeDocument(entry, service, extra, gen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return drain();
  }

  byte[] encode(QualityLogEntry quality) {
    try (JsonGenerator gen = LlmLogJson.factory().createGenerator(buffer)) {
      LlmLogJson.writeQuality(quality, gen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return drain();
  }

  /**
   * The encoded step, in the flat form the server's {@code /api/v1/spans} takes (dotted names such
   * as {@code tool.name}), with {@code redacted} naming what the SDK replaced, when it replaced
   * any. Steps have one form whatever the destination.
   */
  byte[] encode(StepRecord step, Collection<String> redacted) {
    try (JsonGenerator gen = LlmLogJson.factory().createGenerator(buffer)) {
      gen.writeStartObject();
      for (Map.Entry<SpanField, Object> field : step.fields().entrySet()) {
        gen.writeFieldName(field.getKey().jsonName());
        writeValue(gen, field.getValue());
      }
      if (!redacted.isEmpty()) {
        gen.writeFieldName(SpanField.REDACTED.jsonName());
        writeValue(gen, List.copyOf(redacted));
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return drain();
  }

  private static void writeValue(JsonGenerator gen, Object value) throws IOException {
    if (value instanceof Double number) {
      gen.writeNumber(number);
    } else if (value instanceof List<?> list) {
      gen.writeStartArray();
      for (Object item : list) {
        gen.writeString(Texts.replaceLoneSurrogates(String.valueOf(item)));
      }
      gen.writeEndArray();
    } else if (value instanceof Map<?, ?> map) {
      gen.writeStartObject();
      for (Map.Entry<?, ?> item : map.entrySet()) {
        gen.writeStringField(
            String.valueOf(item.getKey()),
            Texts.replaceLoneSurrogates(String.valueOf(item.getValue())));
      }
      gen.writeEndObject();
    } else {
      gen.writeString(Texts.replaceLoneSurrogates(String.valueOf(value)));
    }
  }

  private static Map<String, Object> extraFields(double weight, Collection<String> redacted) {
    if (weight == 1 && redacted.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> extra = new LinkedHashMap<>(4);
    if (!redacted.isEmpty()) {
      extra.put(LogField.REDACTED.jsonName(), List.copyOf(redacted));
    }
    if (weight != 1) {
      extra.put(LogField.SAMPLE_WEIGHT.jsonName(), weight);
    }
    return extra;
  }

  private byte[] drain() {
    byte[] bytes = buffer.toByteArray();
    buffer.reset();
    return bytes;
  }
}
