package io.llmlog.client;

/**
 * Where the trace of the current call comes from when no {@link LlmLogContext} scope sets it: the
 * current span of a tracing library. It runs on the caller's thread for every call, so it must be
 * cheap and must not throw; a source that throws is skipped.
 *
 * <p>{@link #openTelemetry()} is used by default when the OpenTelemetry API is on the class path;
 * the Spring Boot starter adds Micrometer Tracing's current span.
 */
@FunctionalInterface
public interface TraceSource {
  /** The current trace and span, or null when there is none. */
  TraceIds current();

  /**
   * The current OpenTelemetry span ({@code Span.current()}), or a source that finds nothing when
   * the OpenTelemetry API is not on the class path.
   */
  static TraceSource openTelemetry() {
    return Slf4jSupport.classPresent("io.opentelemetry.api.trace.Span")
        ? OpenTelemetrySpans.SOURCE
        : () -> null;
  }

  /**
   * A trace and the span within it.
   *
   * @param traceId the trace id, such as OpenTelemetry's 32 hex digits
   * @param spanId the current span's id, which becomes the call's {@code parent_id}
   */
  record TraceIds(String traceId, String spanId) {}
}
