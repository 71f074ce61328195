package io.llmlog.server.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Leaves inline images and files out of logged messages: a {@code data:} URL or a long base64
 * string is replaced by a note of its size. They would fill the record (and often break the string
 * limit) without saying anything a search could find; the call itself is forwarded unchanged.
 */
final class Bulky {
  /** Base64 shorter than this is kept: it may be a short id or a hash. */
  static final int MIN_ELIDED = 1024;

  private Bulky() {}

  /** A copy of a JSON value with bulky strings replaced. */
  static Object elide(Object value) {
    return mapStrings(value, Bulky::elide);
  }

  /**
   * A copy of a JSON value (maps, lists, scalars) with every string passed through {@code change}.
   */
  static Object mapStrings(Object value, UnaryOperator<String> change) {
    if (value instanceof String text) {
      return change.apply(text);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, item) -> copy.put(String.valueOf(key), mapStrings(item, change)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (Object item : list) {
        copy.add(mapStrings(item, change));
      }
      return copy;
    }
    return value;
  }

  private static String elide(String text) {
    if (text.length() < MIN_ELIDED) {
      return text;
    }
    if (text.startsWith("data:")) {
      int comma = text.indexOf(',');
      if (comma > 0 && comma < 200) {
        return text.substring(0, comma + 1)
            + "["
            + (text.length() - comma - 1)
            + " characters not logged]";
      }
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= 'A' && c <= 'Z'
          || c >= 'a' && c <= 'z'
          || c >= '0' && c <= '9'
          || c == '+'
          || c == '/'
          || c == '='
          || c == '-'
          || c == '_'
          || c == '\n'
          || c == '\r')) {
        return text;
      }
    }
    return "[" + text.length() + " characters of base64 not logged]";
  }
}
