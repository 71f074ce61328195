package io.llmlog.server.otlp;

import java.util.List;
import java.util.Map;

/**
 * One span of an export as the mappers read it: W3C ids in lowercase hex, times in nanoseconds, its
 * attributes, events and the service it came from.
 *
 * @param statusCode OTLP's status code: 0 unset, 1 ok, 2 error
 */
record OtlpSpan(
    String traceId,
    String spanId,
    String parentId,
    String name,
    long startNanos,
    long endNanos,
    int statusCode,
    String statusMessage,
    Attributes attributes,
    List<Event> events,
    Origin origin) {

  static final int STATUS_OK = 1;
  static final int STATUS_ERROR = 2;

  /** A span event, or a log record of the same call: its name, time, attributes and body. */
  record Event(String name, long timeNanos, Map<String, Object> attributes, Object body) {}

  /** Where the telemetry came from: the resource's service and deployment environment. */
  record Origin(String service, String environment) {}

  /** The deterministic id of the span's document: {@code <trace_id>-<span_id>}. */
  String id() {
    return traceId + "-" + spanId;
  }

  double durationMs() {
    return (endNanos - startNanos) / 1e6;
  }
}
