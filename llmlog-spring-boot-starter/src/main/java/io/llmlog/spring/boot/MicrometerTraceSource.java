package io.llmlog.spring.boot;

import io.llmlog.client.TraceSource;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Micrometer Tracing's current span (Brave or OpenTelemetry behind it), asked when a call starts.
 */
final class MicrometerTraceSource implements TraceSource {
  private final ObjectProvider<Tracer> tracer;

  MicrometerTraceSource(ObjectProvider<Tracer> tracer) {
    this.tracer = tracer;
  }

  @Override
  public TraceIds current() {
    Tracer current = tracer.getIfAvailable();
    Span span = current == null ? null : current.currentSpan();
    return span == null ? null : new TraceIds(span.context().traceId(), span.context().spanId());
  }
}
