package io.llmlog.server.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlog.core.LogField;
import io.llmlog.core.SpanField;
import io.llmlog.core.Timestamps;
import java.util.List;
import java.util.Objects;

/**
 * One call or step of a trace, as the trace view and the lists show it.
 *
 * @param id the node's key: its {@code span_id}; a call without one is keyed by its {@code
 *     request_id}
 * @param parentId the {@code parent_id} as stored; null for a root
 * @param call true for a model call ({@code llm-logs-*}), false for a step ({@code llm-spans-*})
 * @param kind a step's kind ({@code agent}, {@code tool}, ...); {@code call} for calls
 * @param name a step's name; for a call its operation and model ({@code chat gpt-4o})
 * @param requestId a call's request id (the key of its detail page); null for steps
 * @param startMillis the start, epoch milliseconds
 * @param durationMs {@code latency_ms} of a call, {@code duration_ms} of a step; 0 when not
 *     recorded
 * @param status {@code ok}, {@code error} or {@code unset}
 */
public record TraceNode(
    String id,
    String parentId,
    boolean call,
    String kind,
    String name,
    String operation,
    String model,
    String provider,
    String tool,
    String agent,
    String requestId,
    long startMillis,
    double durationMs,
    String status,
    String errorType,
    String errorMessage,
    Long inputTokens,
    Long outputTokens,
    Long totalTokens,
    Double costUsd,
    String userId,
    String sessionId,
    String service) {

  public TraceNode {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
  }

  /**
   * The fields a node is read from, in either family; the text fields are read only from sources.
   */
  static final List<String> FIELDS =
      List.of(
          "timestamp",
          "request_id",
          "trace_id",
          "span_id",
          "parent_id",
          "operation",
          "model",
          "provider",
          "level",
          "error.type",
          "latency_ms",
          "input_tokens",
          "output_tokens",
          "total_tokens",
          "cost_usd",
          "user_id",
          "session_id",
          "service",
          "name",
          "kind",
          "status",
          "duration_ms",
          "tool.name",
          "agent.name");

  /** {@link #FIELDS} and the error message, which has no doc values. */
  static final List<String> SOURCE_FIELDS = with(FIELDS, "error.message");

  /** The end, epoch milliseconds (fractional). */
  public double endMillis() {
    return startMillis + durationMs;
  }

  public boolean failed() {
    return status.equals("error");
  }

  /** The same node under another id (a call without a span id is keyed by its request id). */
  TraceNode withId(String newId) {
    return copy(newId, status, errorType, errorMessage);
  }

  /** The same node, failed with this error. */
  TraceNode withError(String type, String message) {
    return copy(id, "error", type, message);
  }

  private TraceNode copy(String newId, String newStatus, String type, String message) {
    return new TraceNode(
        newId,
        parentId,
        call,
        kind,
        name,
        operation,
        model,
        provider,
        tool,
        agent,
        requestId,
        startMillis,
        durationMs,
        newStatus,
        type,
        message,
        inputTokens,
        outputTokens,
        totalTokens,
        costUsd,
        userId,
        sessionId,
        service);
  }

  /**
   * Reads a stored call or step; dotted names are looked up both as flat keys (doc values) and as
   * nested objects (sources).
   *
   * @return null for a document without a time or an id, which cannot be placed
   */
  static TraceNode read(boolean call, JsonNode doc) {
    Long start = millis(value(doc, "timestamp"));
    String spanId = text(doc, "span_id");
    String requestId = call ? text(doc, LogField.REQUEST_ID.jsonName()) : null;
    String id = spanId != null ? spanId : requestId;
    if (start == null || id == null) {
      return null;
    }
    boolean failed =
        "error".equals(text(doc, "level"))
            || (!call && "error".equals(text(doc, SpanField.STATUS.jsonName())));
    String status =
        failed
            ? "error"
            : call
                ? "ok"
                : Objects.requireNonNullElse(text(doc, SpanField.STATUS.jsonName()), "unset");
    String operation = text(doc, "operation");
    String model = call ? text(doc, "model") : null;
    Long input = call ? whole(doc, "input_tokens") : null;
    Long output = call ? whole(doc, "output_tokens") : null;
    Long total = call ? whole(doc, "total_tokens") : null;
    if (total == null && (input != null || output != null)) {
      total = (input == null ? 0 : input) + (output == null ? 0 : output);
    }
    String name =
        call
            ? join(operation == null ? "chat" : operation, model)
            : Objects.requireNonNullElse(text(doc, "name"), "step");
    return new TraceNode(
        id,
        text(doc, "parent_id"),
        call,
        call ? "call" : Objects.requireNonNullElse(text(doc, "kind"), "other"),
        name,
        operation,
        model,
        call ? text(doc, "provider") : null,
        text(doc, "tool.name"),
        text(doc, "agent.name"),
        requestId,
        start,
        duration(value(doc, call ? "latency_ms" : "duration_ms")),
        status,
        text(doc, "error.type"),
        text(doc, "error.message"),
        input,
        output,
        total,
        call ? number(doc, "cost_usd") : null,
        text(doc, "user_id"),
        text(doc, "session_id"),
        text(doc, "service"));
  }

  /** A field by dotted name: a flat key first (doc values), then the nested path (sources). */
  static JsonNode value(JsonNode doc, String name) {
    JsonNode flat = doc.get(name);
    if (flat != null) {
      return flat;
    }
    JsonNode node = doc;
    for (String part : name.split("\\.")) {
      node = node.path(part);
    }
    return node;
  }

  static String text(JsonNode doc, String name) {
    JsonNode value = value(doc, name);
    return value.isValueNode() && !value.isNull() && !value.asText().isEmpty()
        ? value.asText()
        : null;
  }

  private static Long whole(JsonNode doc, String name) {
    JsonNode value = value(doc, name);
    return value.isNumber() ? Long.valueOf(value.asLong()) : null;
  }

  private static Double number(JsonNode doc, String name) {
    JsonNode value = value(doc, name);
    return value.isNumber() ? Double.valueOf(value.asDouble()) : null;
  }

  /**
   * Doc values of float fields come back widened ({@code 123.4} as {@code 123.4000015258789}); to
   * the microsecond, both ways of reading a node give the same duration.
   */
  private static double duration(JsonNode value) {
    return value.isNumber() ? Math.max(0, Math.round(value.asDouble() * 1000) / 1000.0) : 0;
  }

  /**
   * Doc values give epoch milliseconds as text; sources give ISO-8601 (to the nanosecond from
   * OTLP), read to the millisecond.
   */
  private static Long millis(JsonNode value) {
    if (value.isNumber()) {
      return value.asLong();
    }
    if (!value.isTextual()) {
      return null;
    }
    String text = value.asText();
    try {
      return text.chars().allMatch(Character::isDigit)
          ? Long.parseLong(text)
          : Timestamps.parse(text).toEpochMilli();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String join(String first, String second) {
    return second == null ? first : first + " " + second;
  }

  private static List<String> with(List<String> fields, String more) {
    List<String> all = new java.util.ArrayList<>(fields);
    all.add(more);
    return List.copyOf(all);
  }
}
