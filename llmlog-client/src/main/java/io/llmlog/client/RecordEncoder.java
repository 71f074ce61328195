package io.llmlog.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import io.llmlog.core.LlmLogEntry;
import io.llmlog.core.LogField;
import io.llmlog.core.QualityLogEntry;
import io.llmlog.core.codec.LlmLogJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns records into the bytes a sender ships, on the reporter's thread. One instance per reporter:
 * it reuses its buffer, so it is not thread-safe.
 */
final class RecordEncoder {
  /** How records are written. */
  enum Format {
    /** The brief's logger line for calls ({@link LlmLogJson#briefLine}); the quality document for feedback. */
    LINE,
    /** The flat document ({@link LlmLogJson#writeDocument}), one per NDJSON line, as the server ingests. */
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
    if (format == Format.LINE) {
      String line = LlmLogJson.briefLine(entry, service);
      if (weight != 1) {
        line = withLastField(line, ", \"" + LogField.SAMPLE_WEIGHT.jsonName() + "\": " + weight);
      }
      return line.getBytes(StandardCharsets.UTF_8);
    }
    try (JsonGenerator gen = generator(weight)) {
      LlmLogJson.writeDocument(entry, service, gen);
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

  private JsonGenerator generator(double weight) throws IOException {
    JsonGenerator gen = LlmLogJson.factory().createGenerator(buffer);
    return weight == 1 ? gen : new SampleWeightGenerator(gen, weight);
  }

  private byte[] drain() {
    byte[] bytes = buffer.toByteArray();
    buffer.reset();
    return bytes;
  }

  /**
   * Adds a field at the end of the brief's line. The line's writer in llmlog-core keeps its Python
   * separators private, so the field is spliced in before the closing brace, with the same
   * separators; the line always ends with the brace of its top-level object.
   */
  static String withLastField(String jsonObject, String field) {
    int end = jsonObject.length() - 1;
    if (end < 0 || jsonObject.charAt(end) != '}') {
      throw new IllegalStateException("not a JSON object: " + jsonObject);
    }
    return jsonObject.substring(0, end) + field + "}";
  }

  /** Writes {@code sample_weight} as the last field of the top-level object, after the codec's fields. */
  private static final class SampleWeightGenerator extends JsonGeneratorDelegate {
    private final double weight;

    SampleWeightGenerator(JsonGenerator delegate, double weight) {
      super(delegate, false);
      this.weight = weight;
    }

    @Override
    public void writeEndObject() throws IOException {
      if (getOutputContext().getParent() != null && getOutputContext().getParent().inRoot()) {
        writeNumberField(LogField.SAMPLE_WEIGHT.jsonName(), weight);
      }
      super.writeEndObject();
    }
  }
}
