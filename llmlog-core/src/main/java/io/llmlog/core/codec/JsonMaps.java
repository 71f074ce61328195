package io.llmlog.core.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON object into maps, lists, strings, numbers and booleans: the shape the server's
 * pipeline and YAML configuration hold records and settings in, so that the shipped price file and
 * the user's price overrides ({@code PriceTable#withOverrides}), and a record read by the SDK and
 * by the pipeline ({@link RecordShapes}), go through one reader each. Whole numbers stay whole
 * (a metadata value {@code 5} is read back as {@code "5"}); a later duplicate key wins.
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
      map.put(name, value(parser));
    }
    return map;
  }

  private static Object value(JsonParser parser) throws IOException {
    switch (parser.currentToken()) {
      case START_OBJECT:
        return object(parser);
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(value(parser));
        }
        return list;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected " + parser.currentToken() + " at " + parser.currentLocation());
    }
  }
}
