package io.llmlog.server.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A span's or log record's attributes as the mappers read them: every key read is remembered, so
 * that whatever no mapping took can be kept as metadata.
 */
final class Attributes {
  private final Map<String, Object> values;
  private final ObjectMapper json;
  private final Set<String> taken = new HashSet<>();

  Attributes(Map<String, Object> values, ObjectMapper json) {
    this.values = values;
    this.json = json;
  }

  Map<String, Object> all() {
    return values;
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  /** The value of the first key present, taking every one of them. */
  Object take(String... keys) {
    Object found = null;
    for (String key : keys) {
      Object value = values.get(key);
      if (value != null) {
        taken.add(key);
        if (found == null) {
          found = value;
        }
      }
    }
    return found;
  }

  /** Peeks without taking. */
  Object get(String key) {
    return values.get(key);
  }

  /** Marks a key as mapped without reading it. */
  void took(String key) {
    taken.add(key);
  }

  String string(String... keys) {
    Object value = take(keys);
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list) {
      return list.isEmpty() ? null : String.valueOf(list.get(0));
    }
    return value instanceof String text ? text : String.valueOf(value);
  }

  Double number(String... keys) {
    Object value = take(keys);
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    if (value instanceof String text) {
      try {
        return Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  Long whole(String... keys) {
    Double number = number(keys);
    return number == null ? null : Math.round(number);
  }

  /**
   * A structured value: as sent, or parsed when it came as JSON text (the conventions allow both
   * for messages, tool arguments and results); text that is not JSON stays text.
   */
  Object structured(String... keys) {
    return parse(take(keys), json);
  }

  static Object parse(Object value, ObjectMapper json) {
    if (value instanceof String text) {
      String trimmed = text.trim();
      if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
        try {
          return json.readValue(trimmed, Object.class);
        } catch (JsonProcessingException notJson) {
          return text;
        }
      }
    }
    return value;
  }

  /** The keys with this prefix, taken. */
  Map<String, Object> takePrefixed(String prefix) {
    Map<String, Object> found = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      if (entry.getKey().startsWith(prefix)) {
        found.put(entry.getKey().substring(prefix.length()), entry.getValue());
        taken.add(entry.getKey());
      }
    }
    return found;
  }

  /** True when some key starts with this prefix. */
  boolean hasPrefix(String prefix) {
    for (String key : values.keySet()) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** The attributes no mapping took. */
  Map<String, Object> rest() {
    Map<String, Object> rest = new java.util.LinkedHashMap<>();
    values.forEach(
        (key, value) -> {
          if (!taken.contains(key)) {
            rest.put(key, value);
          }
        });
    return rest;
  }
}
