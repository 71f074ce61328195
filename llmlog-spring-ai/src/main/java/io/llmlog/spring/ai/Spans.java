package io.llmlog.spring.ai;

import io.llmlog.client.LlmCall;
import io.micrometer.observation.Observation;

/**
 * The call's own span, when Micrometer Tracing made one for its observation: the record becomes
 * that span ({@code span_id}) in its trace, under its parent. Micrometer Tracing is optional: its
 * types are touched only when it is on the class path.
 */
final class Spans {
  private static final boolean TRACING =
      present("io.micrometer.tracing.handler.TracingObservationHandler");

  private Spans() {}

  static void describe(Observation.Context context, LlmCall call) {
    if (TRACING) {
      Tracing.describe(context, call);
    }
  }

  private static boolean present(String name) {
    try {
      Class.forName(name, false, Spans.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static final class Tracing {
    static void describe(Observation.Context context, LlmCall call) {
      io.micrometer.tracing.handler.TracingObservationHandler.TracingContext tracing =
          context.get(io.micrometer.tracing.handler.TracingObservationHandler.TracingContext.class);
      if (tracing == null || tracing.getSpan() == null) {
        return;
      }
      io.micrometer.tracing.TraceContext span = tracing.getSpan().context();
      if (span.traceId() != null && !span.traceId().isEmpty()) {
        call.traceId(span.traceId()).spanId(span.spanId());
        call.parentId(span.parentId());
      }
    }
  }
}
