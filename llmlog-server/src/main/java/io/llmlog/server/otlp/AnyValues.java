package io.llmlog.server.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP's attribute values as plain Java values: strings, longs, doubles, booleans, lists and maps
 * (bytes as base64).
 */
final class AnyValues {
  private AnyValues() {}

  /** Attributes by key, in the order they came; a repeated key keeps its last value. */
  static Map<String, Object> map(List<KeyValue> attributes) {
    Map<String, Object> map = new LinkedHashMap<>(Math.max(4, attributes.size() * 2));
    for (KeyValue attribute : attributes) {
      Object value = value(attribute.getValue());
      if (value != null) {
        map.put(attribute.getKey(), value);
      }
    }
    return map;
  }

  /** A value, or null for an empty one. */
  static Object value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
      case ARRAY_VALUE -> {
        List<Object> list = new ArrayList<>(value.getArrayValue().getValuesCount());
        for (AnyValue item : value.getArrayValue().getValuesList()) {
          list.add(value(item));
        }
        yield list;
      }
      case KVLIST_VALUE -> map(value.getKvlistValue().getValuesList());
      case VALUE_NOT_SET -> null;
      // A string reference into a dictionary this decoder does not use: nothing to read.
      default -> null;
    };
  }
}
