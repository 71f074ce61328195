package io.llmlog.server.pipeline;

import io.llmlog.server.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A filter's options from config, read with errors that name where the bad value is. */
final class Options {
  private final String where;
  private final Map<String, Object> values;

  Options(String where, Map<String, Object> values) {
    this.where = where;
    this.values = values;
  }

  /** Rejects keys the filter does not know: a typo must not silently turn a rule off. */
  Options allow(String... keys) {
    Set<String> known = Set.of(keys);
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        throw error(key, "unknown option; known options: " + String.join(", ", new TreeSet<>(known)));
      }
    }
    return this;
  }

  boolean has(String key) {
    return values.get(key) != null;
  }

  Object raw(String key) {
    return values.get(key);
  }

  String string(String key, String defaultValue) {
    Object value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Map || value instanceof List) {
      throw error(key, "must be a single value");
    }
    return value.toString();
  }

  List<String> strings(String key, List<String> defaultValue) {
    Object value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof List<?> items) {
      List<String> strings = new ArrayList<>();
      for (Object item : items) {
        if (item == null || item instanceof Map || item instanceof List) {
          throw error(key, "must be a list of names");
        }
        strings.add(item.toString());
      }
      return strings;
    }
    return List.of(value.toString());
  }

  Map<String, String> stringMap(String key) {
    Map<String, String> result = new LinkedHashMap<>();
    map(key).forEach((name, value) -> {
      if (value == null || value instanceof Map || value instanceof List) {
        throw error(key + "." + name, "must be a single value");
      }
      result.put(name, value.toString());
    });
    return result;
  }

  Map<String, Object> map(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw error(key, "must be a mapping of field: value");
    }
    return Event.cast(map);
  }

  int positiveInt(String key, Object value) {
    if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue()) && number.intValue() > 0) {
      return number.intValue();
    }
    throw error(key, "must be a positive whole number, was " + value);
  }

  ConfigException error(String key, String problem) {
    return new ConfigException(where + ": " + key + ": " + problem);
  }

  ConfigException error(String problem) {
    return new ConfigException(where + ": " + problem);
  }

  Map<String, Object> all() {
    return values;
  }
}
