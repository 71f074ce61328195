package io.llmlog.server.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The gateway's counters, in Prometheus ({@code llmlog_gateway_*}) and for the stats API. Counters
 * are built up front, per upstream and outcome, so that counting a call allocates nothing.
 */
final class GatewayMetrics {
  static final List<String> OUTCOMES =
      List.of("ok", "error", "cancelled", "upstream_error", "unreachable", "timeout");
  static final List<String> REFUSALS =
      List.of("unauthorized", "forbidden", "too_large", "busy", "unknown_upstream", "bad_request");
  static final List<String> RECORD_RESULTS =
      List.of(
          "queued",
          "stored",
          "filtered",
          "rejected",
          "dropped.queue_full",
          "dropped.shutdown",
          "dropped.unreadable");

  private final Map<String, Map<String, Counter>> calls = new LinkedHashMap<>();
  private final Map<String, Counter> refused = new LinkedHashMap<>();
  private final Map<String, Counter> records = new LinkedHashMap<>();
  private final Counter retries;
  final AtomicLong inFlight = new AtomicLong();

  GatewayMetrics(
      MeterRegistry meters,
      Collection<Upstream> upstreams,
      Supplier<Number> waitingRecords,
      Supplier<Number> waitingBytes) {
    for (Upstream upstream : upstreams) {
      Map<String, Counter> byOutcome = new HashMap<>();
      for (String outcome : OUTCOMES) {
        byOutcome.put(
            outcome,
            Counter.builder("llmlog.gateway.calls")
                .description("Calls proxied by the gateway, by upstream and outcome")
                .tag("upstream", upstream.name())
                .tag("outcome", outcome)
                .register(meters));
      }
      calls.put(upstream.name(), byOutcome);
    }
    for (String reason : REFUSALS) {
      refused.put(
          reason,
          Counter.builder("llmlog.gateway.refused")
              .description("Calls the gateway answered itself, by reason")
              .tag("reason", reason)
              .register(meters));
    }
    for (String result : RECORD_RESULTS) {
      int dot = result.indexOf('.');
      records.put(
          result,
          Counter.builder("llmlog.gateway.records")
              .description("Call records of the gateway, by what became of them")
              .tag("result", dot < 0 ? result : result.substring(0, dot))
              .tag("reason", dot < 0 ? "none" : result.substring(dot + 1))
              .register(meters));
    }
    retries =
        Counter.builder("llmlog.gateway.ingest.retries")
            .description("Times a batch of call records waited for the engine")
            .register(meters);
    Gauge.builder("llmlog.gateway.calls.in_flight", inFlight, AtomicLong::get)
        .description("Calls being proxied now")
        .register(meters);
    Gauge.builder("llmlog.gateway.queue.records", () -> waitingRecords.get())
        .description("Call records waiting to be stored")
        .register(meters);
    Gauge.builder("llmlog.gateway.queue.bytes", () -> waitingBytes.get())
        .description("Memory held by the waiting call records")
        .register(meters);
  }

  void call(Upstream upstream, String outcome) {
    calls.get(upstream.name()).get(outcome).increment();
  }

  void refused(String reason) {
    refused.get(reason).increment();
  }

  void record(String result, long count) {
    if (count > 0) {
      records.get(result).increment(count);
    }
  }

  void retry() {
    retries.increment();
  }

  GatewayStats snapshot(long waitingRecords, long waitingBytes) {
    Map<String, Map<String, Long>> callCounts = new LinkedHashMap<>();
    calls.forEach(
        (upstream, byOutcome) -> {
          Map<String, Long> counts = new LinkedHashMap<>();
          for (String outcome : OUTCOMES) {
            counts.put(outcome, (long) byOutcome.get(outcome).count());
          }
          callCounts.put(upstream, counts);
        });
    return new GatewayStats(
        inFlight.get(),
        callCounts,
        counts(refused),
        counts(records),
        waitingRecords,
        waitingBytes,
        (long) retries.count());
  }

  private static Map<String, Long> counts(Map<String, Counter> counters) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counters.forEach((name, counter) -> counts.put(name, (long) counter.count()));
    return counts;
  }
}
