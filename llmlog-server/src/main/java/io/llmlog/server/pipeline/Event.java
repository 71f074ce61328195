package io.llmlog.server.pipeline;

import io.llmlog.core.codec.MapPaths;
import java.util.Map;

/**
 * One record on its way through the pipeline: a mutable JSON object, as a Logstash event is. Fields
 * are addressed by dotted paths ({@code metrics.latency_ms}) that walk nested objects; dotted keys
 * in the input are expanded into objects when the event is made, as Elasticsearch treats them the
 * same.
 */
public final class Event {
  private final Map<String, Object> fields;
  private final int line;
  private boolean retract;
  private String sampleTrace;
  private boolean traceFailed;
  private boolean outcomeUnknown;
  private Map<String, Object> notes;
  private java.util.List<Derived> derived;

  /**
   * @param fields the decoded JSON object, taken over (not copied)
   * @param line where the record started in its request body, 1-based, for error reports
   */
  public Event(Map<String, Object> fields, int line) {
    this.fields = MapPaths.expandDottedKeys(fields);
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
   * Makes sampling decide by this trace id instead of the request id, so that every call and step
   * of one trace shares the decision (records from OpenTelemetry, and steps).
   */
  public void sampleByTrace(String traceId) {
    this.sampleTrace = traceId;
  }

  /** The trace id sampling decides by, or null to decide by the request id. */
  public String sampleTrace() {
    return sampleTrace;
  }

  /** Marks that another record of this event's trace failed: sampling keeps the trace whole. */
  public void markTraceFailed() {
    traceFailed = true;
  }

  public boolean traceFailed() {
    return traceFailed;
  }

  /**
   * Marks a part of a call that cannot say how the call ended even if it carries a response (the
   * content of a call sent as log records apart from its span): sampling keeps it pending until the
   * span decides.
   */
  public void markOutcomeUnknown() {
    outcomeUnknown = true;
  }

  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }

  /**
   * A record this one gave rise to, stored with it in the same write: the quality records of the
   * evaluators that run in the pipeline. It is only materialised (and costs its serialisation) when
   * this record is kept.
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
    return MapPaths.get(fields, path);
  }

  /** True when the path holds a value other than null. */
  public boolean has(String path) {
    return MapPaths.has(fields, path);
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
    MapPaths.set(fields, path, value);
  }

  /** Removes the value at a dotted path and returns it; empty parent objects stay. */
  public Object remove(String path) {
    return MapPaths.remove(fields, path);
  }

  /** Moves a value to another path unless the target already has one; returns true if moved. */
  public boolean moveIfAbsent(String from, String to) {
    return MapPaths.moveIfAbsent(fields, from, to);
  }

  @Override
  public String toString() {
    return "Event{line=" + line + ", " + fields + "}";
  }

  /** An untyped JSON object as the map it is. */
  public static Map<String, Object> cast(Object map) {
    return MapPaths.cast(map);
  }
}
