package io.llmlog.server.gateway;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Who made a call and how it groups with others, read from the request's headers: llmlog's own
 * ({@code X-Llmlog-User-Id}, {@code X-Llmlog-Session-Id}, {@code X-Llmlog-Tags}, {@code
 * X-Llmlog-Metadata-<key>}, ...), the ones users already send to other gateways ({@code
 * Helicone-User-Id}, {@code Helicone-Session-Id}, {@code Helicone-Property-<key>}), and a W3C
 * {@code traceparent}, whose trace the call joins as a span of its own.
 *
 * @param requestId the record's id: {@code X-Llmlog-Request-Id}, else a fresh one
 * @param traceId the trace of the {@code traceparent}, or null
 * @param parentId the parent span of the {@code traceparent}, or null
 * @param spanId the call's own span when it is in a trace, or null
 * @param traceFlags the {@code traceparent}'s flags, passed on upstream
 */
public record CallTags(
    String requestId,
    String userId,
    String sessionId,
    String service,
    String environment,
    List<String> tags,
    Map<String, String> metadata,
    String traceId,
    String parentId,
    String spanId,
    String traceFlags) {
  static final String LLMLOG_PREFIX = "x-llmlog-";
  static final String HELICONE_PREFIX = "helicone-";
  private static final Pattern TRACEPARENT =
      Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

  /** The engine's limit for a document id. */
  private static final int MAX_ID_BYTES = 512;

  private static final int MAX_VALUE_CHARS = 1024;

  /**
   * Reads the headers.
   *
   * @throws IllegalArgumentException naming the header when a value cannot be used
   */
  public static CallTags read(HttpFields headers) {
    String requestId = value(headers, "X-Llmlog-Request-Id");
    if (requestId != null
        && requestId.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
      throw new IllegalArgumentException(
          "X-Llmlog-Request-Id is longer than " + MAX_ID_BYTES + " bytes");
    }
    List<String> tags = new ArrayList<>();
    String tagList = value(headers, "X-Llmlog-Tags");
    if (tagList != null) {
      for (String tag : tagList.split(",")) {
        if (!tag.isBlank()) {
          tags.add(tag.trim());
        }
      }
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (HttpField field : headers) {
      String name = field.getLowerCaseName();
      String key =
          name.startsWith(LLMLOG_PREFIX + "metadata-")
              ? name.substring((LLMLOG_PREFIX + "metadata-").length())
              : name.startsWith(HELICONE_PREFIX + "property-")
                  ? name.substring((HELICONE_PREFIX + "property-").length())
                  : null;
      if (key != null && !key.isEmpty() && field.getValue() != null) {
        metadata.put(key.replace('-', '_'), limit(field.getValue().trim()));
      }
    }
    String traceId = null;
    String parentId = null;
    String spanId = null;
    String flags = null;
    String traceparent = headers.get("traceparent");
    if (traceparent != null) {
      var match = TRACEPARENT.matcher(traceparent.trim().toLowerCase(Locale.ROOT));
      // An invalid or all-zero traceparent is ignored, as W3C Trace Context says.
      if (match.matches()
          && !match.group(1).equals("0".repeat(32))
          && !match.group(2).equals("0".repeat(16))) {
        traceId = match.group(1);
        parentId = match.group(2);
        flags = match.group(3);
        spanId = randomHex(8);
      }
    }
    return new CallTags(
        requestId != null ? requestId : newRequestId(),
        first(headers, "X-Llmlog-User-Id", "Helicone-User-Id"),
        first(headers, "X-Llmlog-Session-Id", "Helicone-Session-Id"),
        value(headers, "X-Llmlog-Service"),
        value(headers, "X-Llmlog-Environment"),
        List.copyOf(tags),
        Map.copyOf(metadata),
        traceId,
        parentId,
        spanId,
        flags);
  }

  /** True when the call joined a trace. */
  public boolean traced() {
    return traceId != null;
  }

  /**
   * The {@code traceparent} to send upstream: the same trace, with this call's span as the parent.
   */
  public String upstreamTraceparent() {
    return "00-" + traceId + "-" + spanId + "-" + traceFlags;
  }

  /**
   * A request id in UUID form, from a fast random source (it names a record, it guards nothing).
   */
  static String newRequestId() {
    String hex = randomHex(16);
    return hex.substring(0, 8)
        + "-"
        + hex.substring(8, 12)
        + "-"
        + hex.substring(12, 16)
        + "-"
        + hex.substring(16, 20)
        + "-"
        + hex.substring(20);
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  private static String first(HttpFields headers, String name, String alternative) {
    String value = value(headers, name);
    return value != null ? value : value(headers, alternative);
  }

  private static String value(HttpFields headers, String name) {
    String value = headers.get(name);
    return value == null || value.isBlank() ? null : limit(value.trim());
  }

  private static String limit(String value) {
    return value.length() > MAX_VALUE_CHARS ? value.substring(0, MAX_VALUE_CHARS) : value;
  }
}
