package io.llmlog.core.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.IOException;

/**
 * One line with Python's {@code json.dumps} separators ({@code ", "} and {@code ": "}), so that the
 * brief's logger line is byte-for-byte what its Python {@code StructuredLogger} prints.
 */
final class PythonSeparators implements PrettyPrinter {
  static final PythonSeparators INSTANCE = new PythonSeparators();

  private PythonSeparators() {}

  @Override
  public void writeRootValueSeparator(JsonGenerator gen) throws IOException {
    gen.writeRaw(' ');
  }

  @Override
  public void writeStartObject(JsonGenerator gen) throws IOException {
    gen.writeRaw('{');
  }

  @Override
  public void writeEndObject(JsonGenerator gen, int nrOfEntries) throws IOException {
    gen.writeRaw('}');
  }

  @Override
  public void writeObjectEntrySeparator(JsonGenerator gen) throws IOException {
    gen.writeRaw(", ");
  }

  @Override
  public void writeObjectFieldValueSeparator(JsonGenerator gen) throws IOException {
    gen.writeRaw(": ");
  }

  @Override
  public void writeStartArray(JsonGenerator gen) throws IOException {
    gen.writeRaw('[');
  }

  @Override
  public void writeEndArray(JsonGenerator gen, int nrOfValues) throws IOException {
    gen.writeRaw(']');
  }

  @Override
  public void writeArrayValueSeparator(JsonGenerator gen) throws IOException {
    gen.writeRaw(", ");
  }

  @Override
  public void beforeArrayValues(JsonGenerator gen) {}

  @Override
  public void beforeObjectEntries(JsonGenerator gen) {}
}
