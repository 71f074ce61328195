package io.llmlog.server.otlp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the lists that OpenLLMetry and OpenInference flatten into attributes ({@code
 * gen_ai.prompt.0.role}, {@code llm.input_messages.1.message.tool_calls.0.tool_call.id}): dotted
 * paths become nested maps, and maps whose keys are all numbers become lists in their order.
 */
final class Indexed {
  private Indexed() {}

  /**
   * The flattened entries under one prefix (already stripped) as a list, or null when there are
   * none.
   */
  static List<Object> list(Map<String, Object> flattened) {
    if (flattened.isEmpty()) {
      return null;
    }
    Map<String, Object> root = new LinkedHashMap<>();
    flattened.forEach((path, value) -> put(root, path.split("\\."), 0, value));
    Object rebuilt = lists(root);
    return rebuilt instanceof List<?> list ? new ArrayList<>(list) : null;
  }

  private static void put(Map<String, Object> node, String[] path, int at, Object value) {
    if (at == path.length - 1) {
      node.put(path[at], value);
      return;
    }
    Object child = node.get(path[at]);
    if (!(child instanceof Map)) {
      child = new LinkedHashMap<String, Object>();
      node.put(path[at], child);
    }
    put(io.llmlog.server.pipeline.Event.cast(child), path, at + 1, value);
  }

  private static Object lists(Object node) {
    if (!(node instanceof Map<?, ?> map)) {
      return node;
    }
    boolean numeric = !map.isEmpty();
    for (Object key : map.keySet()) {
      numeric &= isIndex((String) key);
    }
    if (numeric) {
      TreeMap<Integer, Object> ordered = new TreeMap<>();
      map.forEach((key, value) -> ordered.put(Integer.parseInt((String) key), lists(value)));
      return new ArrayList<>(ordered.values());
    }
    Map<String, Object> result = new LinkedHashMap<>();
    map.forEach((key, value) -> result.put((String) key, lists(value)));
    return result;
  }

  private static boolean isIndex(String key) {
    if (key.isEmpty() || key.length() > 6) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      if (!Character.isDigit(key.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
