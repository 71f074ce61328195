package io.llmlog.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmlog.core.Timestamps;
import io.llmlog.server.Http;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Synthetic LLM calls, seeded, sent through a server's real ingest API, and an independent model of
 * what the brief's two rules should see: per minute the calls, errors and exact latencies.
 */
final class Traffic {
  private final Random random;
  private final TreeMap<Long, List<double[]>> minutes = new TreeMap<>();
  private int sequence;

  Traffic(long seed) {
    this.random = new Random(seed);
  }

  /** A call: latency from the normal or the slow regime; error or not. */
  record Call(double latencyMs, boolean error) {}

  double normalLatency() {
    // Log-normal around 1.5 s, capped well below the 10 s of SlowInference.
    return Math.min(
        8000, Math.round(Math.exp(Math.log(1500) + 0.5 * random.nextGaussian()) * 10) / 10.0);
  }

  double slowLatency() {
    return 15000 + random.nextInt(15000);
  }

  /** Sends the calls with timestamp {@code at} and remembers them in the model. */
  void send(Http api, Instant at, List<Call> calls) {
    StringBuilder body = new StringBuilder();
    for (Call call : calls) {
      String model = random.nextBoolean() ? "gpt-4" : "claude-3";
      body.append("{\"request_id\":\"it-")
          .append(sequence++)
          .append('-')
          .append(at.toEpochMilli())
          .append("\",\"timestamp\":\"")
          .append(Timestamps.format(at))
          .append("\",\"model\":\"")
          .append(model)
          .append("\",\"level\":\"")
          .append(call.error() ? "error" : "info")
          .append('"')
          .append(
              call.error()
                  ? ",\"error\":{\"type\":\"rate_limit\",\"message\":\"429 from provider\"}"
                  : "")
          .append(",\"latency_ms\":")
          .append(call.latencyMs())
          .append(",\"ttft_ms\":")
          .append(call.latencyMs() / 10)
          .append(",\"input_tokens\":100,\"output_tokens\":50}\n");
      minutes
          .computeIfAbsent(Math.floorDiv(at.getEpochSecond(), 60), m -> new ArrayList<>())
          .add(new double[] {call.latencyMs(), call.error() ? 1 : 0});
    }
    Http.Answer answer = api.post("/api/v1/logs", "application/x-ndjson", body.toString());
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("accepted").asInt()).as(answer.body()).isEqualTo(calls.size());
  }

  /** The calls of the minutes a rule with this window sees when evaluated at {@code at}. */
  List<double[]> window(Instant at, int windowMinutes) {
    long last = Math.floorDiv(at.getEpochSecond(), 60);
    List<double[]> calls = new ArrayList<>();
    minutes.subMap(last - windowMinutes + 1, true, last, true).values().forEach(calls::addAll);
    return calls;
  }

  /** HighErrorRate's value at {@code at}, NaN below its min_count of 20. */
  double errorRate(Instant at) {
    List<double[]> calls = window(at, 5);
    if (calls.size() < 20) {
      return Double.NaN;
    }
    return calls.stream().mapToDouble(call -> call[1]).sum() / calls.size();
  }

  /** SlowInference's value at {@code at}: the exact (nearest-rank) p95, NaN below 20 calls. */
  double p95(Instant at) {
    List<double[]> calls = window(at, 10);
    if (calls.size() < 20) {
      return Double.NaN;
    }
    double[] latencies = calls.stream().mapToDouble(call -> call[0]).sorted().toArray();
    return latencies[(int) Math.ceil(95 / 100.0 * latencies.length) - 1];
  }
}
