package io.llmlog.server.live;

import io.llmlog.core.Timestamps;
import io.llmlog.server.pipeline.Event;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Stored call records as ingest hands them to the live aggregates. */
final class LiveEvents {
  private LiveEvents() {}

  static Event call(Instant at, String model, double latencyMs, boolean error) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("request_id", "r-" + at.toEpochMilli() + "-" + Math.random());
    fields.put("timestamp", Timestamps.format(at));
    fields.put("model", model);
    fields.put("level", error ? "error" : "info");
    fields.put("latency_ms", latencyMs);
    fields.put("ttft_ms", latencyMs / 10);
    fields.put("input_tokens", 100L);
    fields.put("output_tokens", 50L);
    fields.put("total_tokens", 150L);
    fields.put("cost_usd", 0.002);
    return new Event(fields, 1);
  }

  static Event with(Event event, String field, Object value) {
    event.set(field, value);
    return event;
  }
}
