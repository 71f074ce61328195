package io.llmlog.spring.boot;

import io.llmlog.client.DropReason;
import io.llmlog.client.LlmLogger;
import io.llmlog.client.ReporterMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The SDK's counters as meters, per destination ({@code server}, {@code lines}): {@code
 * llmlog.records.logged}, {@code .delivered}, {@code .dropped} (tagged by {@code reason}), {@code
 * .unknown}, the gauge {@code llmlog.records.queued}, and {@code llmlog.integration.failures}. Read
 * from the live counters; nothing is copied.
 */
final class LlmlogMeters implements MeterBinder {
  private final LlmLogger logger;

  LlmlogMeters(LlmLogger logger) {
    this.logger = logger;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    bind(registry, "server", LlmLogger::shippingMetrics);
    bind(registry, "lines", LlmLogger::lineMetrics);
    FunctionCounter.builder("llmlog.integration.failures", logger, LlmLogger::integrationFailures)
        .description(
            "Calls the Spring AI or LangChain4j integration failed to log (the calls themselves went on)")
        .register(registry);
  }

  private void bind(
      MeterRegistry registry, String destination, Function<LlmLogger, ReporterMetrics> metrics) {
    counter(
        registry,
        "llmlog.records.logged",
        "Records handed to the llmlog SDK",
        destination,
        logger,
        l -> metrics.apply(l).logged());
    counter(
        registry,
        "llmlog.records.delivered",
        "Records the destination took",
        destination,
        logger,
        l -> metrics.apply(l).delivered());
    counter(
        registry,
        "llmlog.records.unknown",
        "Records in a request cut off when closing: the server may have them",
        destination,
        logger,
        l -> metrics.apply(l).unknown());
    for (DropReason reason : DropReason.values()) {
      FunctionCounter.builder(
              "llmlog.records.dropped", logger, l -> metrics.apply(l).dropped(reason))
          .description("Records the llmlog SDK dropped, by reason")
          .tag("destination", destination)
          .tag("reason", reason.value())
          .register(registry);
    }
    Gauge.builder("llmlog.records.queued", logger, l -> metrics.apply(l).queuedRecords())
        .description("Records accepted and not yet delivered or dropped")
        .tag("destination", destination)
        .register(registry);
  }

  private static void counter(
      MeterRegistry registry,
      String name,
      String description,
      String destination,
      LlmLogger logger,
      ToDoubleFunction<LlmLogger> count) {
    FunctionCounter.builder(name, logger, count)
        .description(description)
        .tag("destination", destination)
        .register(registry);
  }
}
