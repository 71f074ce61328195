package io.llmlog.client;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * The current OpenTelemetry span. The OpenTelemetry API is an optional dependency: this class is
 * loaded only once {@link TraceSource#openTelemetry()} found it on the class path.
 */
final class OpenTelemetrySpans {
  static final TraceSource SOURCE = OpenTelemetrySpans::current;

  private OpenTelemetrySpans() {}

  private static TraceSource.TraceIds current() {
    SpanContext context = Span.current().getSpanContext();
    return context.isValid()
        ? new TraceSource.TraceIds(context.getTraceId(), context.getSpanId())
        : null;
  }
}
