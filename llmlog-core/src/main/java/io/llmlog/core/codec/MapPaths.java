package io.llmlog.core.codec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dotted paths ({@code metrics.latency_ms}) into a record held as nested maps, the shape a JSON
 * object decodes to. Shared by the record reader ({@link LlmLogJson#read}) and the server's
 * pipeline, so that both walk records the same way.
 */
public final class MapPaths {
  private MapPaths() {}

  /** The value at a dotted path, or null. */
  public static Object get(Map<String, Object> root, String path) {
    int dot = path.indexOf('.');
    if (dot < 0) {
      return root.get(path);
    }
    Object node = root;
    int start = 0;
    while (true) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      int end = path.indexOf('.', start);
      if (end < 0) {
        return map.get(path.substring(start));
      }
      node = map.get(path.substring(start, end));
      start = end + 1;
    }
  }

  /** True when the path holds a value other than null. */
  public static boolean has(Map<String, Object> root, String path) {
    return get(root, path) != null;
  }

  /** Sets the value at a dotted path, creating objects on the way (replacing non-objects). */
  public static void set(Map<String, Object> root, String path, Object value) {
    parent(root, path, true).put(leaf(path), value);
  }

  /** Removes the value at a dotted path and returns it; empty parent objects stay. */
  public static Object remove(Map<String, Object> root, String path) {
    Map<String, Object> parent = parent(root, path, false);
    return parent == null ? null : parent.remove(leaf(path));
  }

  /** Moves a value to another path unless the target already has one; returns true if moved. */
  public static boolean moveIfAbsent(Map<String, Object> root, String from, String to) {
    Object value = get(root, from);
    if (value == null || has(root, to)) {
      return false;
    }
    remove(root, from);
    set(root, to, value);
    return true;
  }

  /**
   * Turns {@code {"error.type": "x"}} into {@code {"error": {"type": "x"}}}, recursively, as
   * Elasticsearch reads both the same.
   */
  public static Map<String, Object> expandDottedKeys(Map<String, Object> map) {
    boolean dotted = false;
    for (Map.Entry<String, Object> entry : map.entrySet()) {
      if (entry.getValue() instanceof Map<?, ?> child) {
        entry.setValue(expandDottedKeys(cast(child)));
      }
      dotted |= entry.getKey().indexOf('.') > 0;
    }
    if (!dotted) {
      return map;
    }
    Map<String, Object> expanded = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : map.entrySet()) {
      String key = entry.getKey();
      int dot = key.indexOf('.');
      if (dot <= 0 || dot == key.length() - 1) {
        merge(expanded, key, entry.getValue());
        continue;
      }
      Map<String, Object> node = expanded;
      String[] parts = key.split("\\.");
      for (int i = 0; i < parts.length - 1; i++) {
        Object child = node.get(parts[i]);
        if (!(child instanceof Map)) {
          child = new LinkedHashMap<String, Object>();
          node.put(parts[i], child);
        }
        node = cast(child);
      }
      merge(node, parts[parts.length - 1], entry.getValue());
    }
    return expanded;
  }

  /** An untyped JSON object as the map it is. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> cast(Object map) {
    return (Map<String, Object>) map;
  }

  private static void merge(Map<String, Object> target, String key, Object value) {
    Object existing = target.get(key);
    if (existing instanceof Map<?, ?> left && value instanceof Map<?, ?> right) {
      cast(left).putAll(cast(right));
    } else {
      target.put(key, value);
    }
  }

  private static Map<String, Object> parent(Map<String, Object> root, String path, boolean create) {
    Map<String, Object> node = root;
    int start = 0;
    for (int end = path.indexOf('.'); end >= 0; end = path.indexOf('.', start)) {
      String key = path.substring(start, end);
      Object child = node.get(key);
      if (!(child instanceof Map)) {
        if (!create) {
          return null;
        }
        child = new LinkedHashMap<String, Object>();
        node.put(key, child);
      }
      node = cast(child);
      start = end + 1;
    }
    return node;
  }

  private static String leaf(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }
}
