package io.llmlog.server.pipeline;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToLongFunction;

/** Publishes every filter's counters as {@code llmlog.pipeline.events{filter, step, outcome}}. */
public final class PipelineMetrics {
  private PipelineMetrics() {}

  public static void bind(Pipeline pipeline, MeterRegistry registry) {
    for (int i = 0; i < pipeline.stats().size(); i++) {
      FilterStats stats = pipeline.stats().get(i);
      counter(registry, stats, i, "in", FilterStats::in);
      counter(registry, stats, i, "out", FilterStats::out);
      counter(registry, stats, i, "dropped", FilterStats::dropped);
      counter(registry, stats, i, "failed", FilterStats::failed);
    }
  }

  private static void counter(
      MeterRegistry registry,
      FilterStats stats,
      int step,
      String outcome,
      ToLongFunction<FilterStats> count) {
    FunctionCounter.builder("llmlog.pipeline.events", stats, s -> count.applyAsLong(s))
        .description("Events through each pipeline filter: in = out + dropped + failed")
        .tags("filter", stats.name(), "step", String.valueOf(step), "outcome", outcome)
        .register(registry);
  }
}
