package io.llmlog.server.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.Timestamps;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What calls and steps read alike from a span: time, ids, service, session and user, status and
 * errors, metadata.
 */
final class Mapping {
  /**
   * Attribute keys that name a credential ({@code http.request.header.authorization}, {@code
   * openai.api_key}, {@code x-api-token}...): such attributes are never kept, whatever their value,
   * since a credential must not reach a stored record.
   */
  private static final java.util.regex.Pattern CREDENTIAL =
      java.util.regex.Pattern.compile(
          "(?i).*(authorization|api[_.-]?key|secret|password|passwd|token|cookie|credential).*");

  /**
   * The metadata key that counts the attributes left out beyond {@code limits.max_metadata_keys}.
   */
  static final String DROPPED_ATTRIBUTES = "dropped_attributes";

  private final ObjectMapper json;
  private final int maxMetadataKeys;

  Mapping(ObjectMapper json, int maxMetadataKeys) {
    this.json = json;
    this.maxMetadataKeys = maxMetadataKeys;
  }

  static String time(long nanos) {
    return Timestamps.format(Instant.ofEpochSecond(0, nanos));
  }

  /** The ids, the service and environment, the session and the user. */
  void context(
      Map<String, Object> record,
      OtlpSpan.Origin origin,
      String traceId,
      String spanId,
      String parentId,
      Attributes attributes) {
    record.put("trace_id", traceId);
    record.put("span_id", spanId);
    if (parentId != null) {
      record.put("parent_id", parentId);
    }
    putIfPresent(record, "service", origin.service());
    putIfPresent(record, "environment", origin.environment());
    putIfPresent(record, "session_id", attributes.string("gen_ai.conversation.id", "session.id"));
    putIfPresent(record, "user_id", attributes.string("user.id", "enduser.id"));
  }

  /**
   * {@code level} and {@code error} from the span's status, the conventions' {@code error.type} and
   * an {@code exception} event; returns whether the span failed.
   */
  boolean error(Map<String, Object> record, OtlpSpan span) {
    String type = span.attributes().string("error.type");
    String message =
        span.statusCode() == OtlpSpan.STATUS_ERROR && !span.statusMessage().isEmpty()
            ? span.statusMessage()
            : null;
    for (OtlpSpan.Event event : span.events()) {
      if (event.name().equals("exception")) {
        type = type != null ? type : string(event.attributes().get("exception.type"));
        message = message != null ? message : string(event.attributes().get("exception.message"));
      }
    }
    boolean failed = span.statusCode() == OtlpSpan.STATUS_ERROR || type != null;
    record.put("level", failed ? "error" : "info");
    if (failed) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("type", type != null ? type : "error");
      putIfPresent(error, "message", message);
      record.put("error", error);
    }
    return failed;
  }

  /**
   * Attributes no mapping took, but credentials, under {@code metadata}: dots in keys become
   * underscores (so that {@code a.b} and {@code a.b.c} never fight over one field), lists and maps
   * become JSON text. Beyond {@code limits.max_metadata_keys}, the first keys are kept and {@value
   * #DROPPED_ATTRIBUTES} counts the rest, so that a span with too many attributes still stores its
   * call.
   */
  void metadata(Map<String, Object> record, Map<String, Object> rest) {
    if (rest.isEmpty()) {
      return;
    }
    Map<String, Object> kept = new LinkedHashMap<>();
    rest.forEach(
        (key, value) -> {
          // Token counts are not credentials.
          if (!CREDENTIAL.matcher(key).matches()
              || key.endsWith("_tokens")
              || key.contains("token_count")
              || key.contains(".tokens")) {
            kept.put(key, value);
          }
        });
    if (kept.isEmpty()) {
      return;
    }
    rest = kept;
    Map<String, Object> metadata = new LinkedHashMap<>();
    int room = rest.size() > maxMetadataKeys ? maxMetadataKeys - 1 : maxMetadataKeys;
    for (Map.Entry<String, Object> entry : rest.entrySet()) {
      if (metadata.size() >= room) {
        break;
      }
      metadata.put(entry.getKey().replace('.', '_'), scalar(entry.getValue()));
    }
    if (rest.size() > maxMetadataKeys) {
      metadata.put(DROPPED_ATTRIBUTES, rest.size() - room);
    }
    record.put("metadata", metadata);
  }

  /** A value for a text or keyword field: strings as they are, structures as compact JSON. */
  Object scalar(Object value) {
    if (value instanceof List<?> || value instanceof Map<?, ?>) {
      return text(value);
    }
    return value;
  }

  String text(Object value) {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  static void putIfPresent(Map<String, Object> record, String key, Object value) {
    if (value != null) {
      record.put(key, value);
    }
  }

  private static String string(Object value) {
    return value == null ? null : String.valueOf(value);
  }
}
