package io.llmlog.core.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.llmlog.core.Texts;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values as plain Java objects: maps, lists, strings, numbers, booleans and null, the shape
 * the server's pipeline and YAML configuration hold records and settings in, so that the shipped
 * price file and the user's price overrides ({@code PriceTable#withOverrides}), a record read by
 * the SDK and by the pipeline ({@link RecordShapes}), and the structured chat messages of a call go
 * through one reader and one writer. Whole numbers stay whole, as {@link Long} (or {@link
 * BigInteger} past its range), so a metadata value {@code 5} is read back as {@code "5"}; other
 * numbers are {@link Double}; a later duplicate key wins.
 */
public final class JsonMaps {
  private JsonMaps() {}

  /**
   * @throws IOException when the stream is not one JSON object
   */
  public static Map<String, Object> readObject(InputStream in) throws IOException {
    try (JsonParser parser = LlmLogJson.factory().createParser(in)) {
      return only(parser);
    }
  }

  /**
   * @throws IOException when the text is not one JSON object
   */
  public static Map<String, Object> readObject(String json) throws IOException {
    try (JsonParser parser = LlmLogJson.factory().createParser(json)) {
      return only(parser);
    }
  }

  /**
   * Reads the value at the parser's current token (which the caller has advanced to), leaving the
   * parser on the value's last token.
   */
  public static Object read(JsonParser parser) throws IOException {
    switch (parser.currentToken()) {
      case START_OBJECT:
        return object(parser);
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(read(parser));
        }
        return list;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        // One type per kind of number, so that values read back compare equal to those written.
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? parser.getBigIntegerValue()
            : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException(
            "unexpected " + parser.currentToken() + " at " + parser.currentLocation());
    }
  }

  /** Writes a value made of maps, lists, strings, numbers, booleans and null. */
  public static void write(JsonGenerator gen, Object value) throws IOException {
    if (value == null) {
      gen.writeNull();
    } else if (value instanceof String text) {
      gen.writeString(Texts.replaceLoneSurrogates(text));
    } else if (value instanceof Map<?, ?> map) {
      gen.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        gen.writeFieldName(Texts.replaceLoneSurrogates(String.valueOf(entry.getKey())));
        write(gen, entry.getValue());
      }
      gen.writeEndObject();
    } else if (value instanceof List<?> list) {
      gen.writeStartArray();
      for (Object item : list) {
        write(gen, item);
      }
      gen.writeEndArray();
    } else if (value instanceof Boolean flag) {
      gen.writeBoolean(flag);
    } else if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      gen.writeNumber(((Number) value).longValue());
    } else if (value instanceof BigInteger whole) {
      gen.writeNumber(whole);
    } else if (value instanceof BigDecimal decimal) {
      gen.writeNumber(decimal);
    } else if (value instanceof Number number) {
      gen.writeNumber(number.doubleValue());
    } else {
      gen.writeString(Texts.replaceLoneSurrogates(value.toString()));
    }
  }

  private static Map<String, Object> only(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new IOException("expected a JSON object");
    }
    Map<String, Object> object = object(parser);
    if (parser.nextToken() != null) {
      throw new IOException("trailing content after the JSON object");
    }
    return object;
  }

  private static Map<String, Object> object(JsonParser parser) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      map.put(name, read(parser));
    }
    return map;
  }
}
