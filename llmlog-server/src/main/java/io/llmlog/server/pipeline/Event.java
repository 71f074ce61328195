package io.llmlog.server.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record on its way through the pipeline: a mutable JSON object, as a Logstash event is.
 * Fields are addressed by dotted paths ({@code metrics.latency_ms}) that walk nested objects;
 * dotted keys in the input are expanded into objects when the event is made, as Elasticsearch
 * treats them the same.
 */
public final class Event {
  private final Map<String, Object> fields;
  private final int line;
  private boolean retract;
  private Map<String, Object> notes;
  private java.util.List<Derived> derived;

  /**
   * @param fields the decoded JSON object, taken over (not copied)
   * @param line where the record started in its request body, 1-based, for error reports
   */
  public Event(Map<String, Object> fields, int line) {
    this.fields = expandDottedKeys(fields);
    this.line = line;
  }

  /** The record's position in its request, 1-based. */
  public int line() {
    return line;
  }

  /**
   * Marks that dropping this record must also remove what is already stored for its call: a filter
   * that decides against a call after an earlier part of it was stored (sampling) retracts it.
   */
  public void markRetract() {
    retract = true;
  }

  /** True when a filter asked to remove the call's stored parts along with this record. */
  public boolean retract() {
    return retract;
  }

  /**
   * A record this one gave rise to, stored with it in the same write: the quality records of the
   * evaluators that run in the pipeline. It is only materialised (and costs its serialisation)
   * when this record is kept.
   */
  public interface Derived {
    /** The record's fields, built when it is about to be stored. */
    Map<String, Object> fields();
  }

  /** Adds a record to store with this one once it is kept. */
  public void derive(Derived record) {
    if (derived == null) {
      derived = new java.util.ArrayList<>(2);
    }
    derived.add(record);
  }

  /** The records derived from this one, in the order they were added. */
  public java.util.List<Derived> derived() {
    return derived == null ? java.util.List.of() : derived;
  }

  /**
   * Leaves a note for later filters that is not part of the record, such as what the redaction
   * found in each field (read by the evaluators).
   */
  public void note(String key, Object value) {
    if (notes == null) {
      notes = new java.util.HashMap<>(4);
    }
    notes.put(key, value);
  }

  /** A note left by an earlier filter, or null. */
  public Object noted(String key) {
    return notes == null ? null : notes.get(key);
  }

  /** The whole object, for serialisation. */
  public Map<String, Object> fields() {
    return fields;
  }

  /** The value at a dotted path, or null. */
  public Object get(String path) {
    int dot = path.indexOf('.');
    if (dot < 0) {
      return fields.get(path);
    }
    Object node = fields;
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
  public boolean has(String path) {
    return get(path) != null;
  }

  /** The value at a path as text: strings as they are, numbers and booleans printed, else null. */
  public String getString(String path) {
    Object value = get(path);
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return null;
  }

  /** Sets the value at a dotted path, creating objects on the way (replacing non-objects). */
  public void set(String path, Object value) {
    Map<String, Object> parent = parent(path, true);
    parent.put(leaf(path), value);
  }

  /** Removes the value at a dotted path and returns it; empty parent objects stay. */
  public Object remove(String path) {
    Map<String, Object> parent = parent(path, false);
    return parent == null ? null : parent.remove(leaf(path));
  }

  /** Moves a value to another path unless the target already has one; returns true if moved. */
  public boolean moveIfAbsent(String from, String to) {
    Object value = get(from);
    if (value == null || has(to)) {
      return false;
    }
    remove(from);
    set(to, value);
    return true;
  }

  @Override
  public String toString() {
    return "Event{line=" + line + ", " + fields + "}";
  }

  private Map<String, Object> parent(String path, boolean create) {
    Map<String, Object> node = fields;
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

  /** Turns {@code {"error.type": "x"}} into {@code {"error": {"type": "x"}}}, recursively. */
  private static Map<String, Object> expandDottedKeys(Map<String, Object> map) {
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

  private static void merge(Map<String, Object> target, String key, Object value) {
    Object existing = target.get(key);
    if (existing instanceof Map<?, ?> left && value instanceof Map<?, ?> right) {
      cast(left).putAll(cast(right));
    } else {
      target.put(key, value);
    }
  }

  @SuppressWarnings("unchecked")
  /** An untyped JSON object as the map it is. */
  public static Map<String, Object> cast(Object map) {
    return (Map<String, Object>) map;
  }
}
