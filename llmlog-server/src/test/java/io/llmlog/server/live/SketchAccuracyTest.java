package io.llmlog.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmlog.core.Timestamps;
import io.llmlog.server.MutableClock;
import io.llmlog.server.pipeline.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The p95 the alert rules see comes from HdrHistogram sketches merged across minutes and servers
 * (through the rollups' JSON encoding): it must stay within 1% of the exact p95.
 */
class SketchAccuracyTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  @Test
  void percentile_logNormalLatenciesOverTenMinutesAndThreeServers_within1PercentOfExact() {
    Random random = new Random(20260302L);
    MutableClock clock = new MutableClock(T0.plus(Duration.ofMinutes(9)).plusSeconds(59));
    LiveSettings settings =
        new LiveSettings(Duration.ofMinutes(60), List.of("model"), 100, List.of("latency_ms"));
    List<LiveAggregates> servers = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      servers.add(
          new LiveAggregates(
              settings,
              List.of(settings.dashboardView()),
              null,
              clock,
              new SimpleMeterRegistry(),
              "s" + s));
    }
    int n = 60_000;
    double[] exact = new double[n];
    for (int i = 0; i < n; i++) {
      // Log-normal around 2 s with a long tail, as LLM latencies are; rounded to what a client
      // reports.
      double latency =
          Math.round(Math.exp(Math.log(2000) + 0.9 * random.nextGaussian()) * 10) / 10.0;
      exact[i] = latency;
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("timestamp", Timestamps.format(T0.plusMillis(random.nextInt(600_000))));
      fields.put("model", random.nextBoolean() ? "gpt-4" : "claude-3");
      fields.put("latency_ms", latency);
      servers.get(random.nextInt(3)).stored(List.of(new Event(fields, 1)));
    }
    Arrays.sort(exact);

    // What the evaluator does: one server's own minutes, the others' through their rollup encoding.
    Accumulator merged = new Accumulator();
    ObjectMapper json = new ObjectMapper();
    for (int s = 0; s < 3; s++) {
      LiveAggregates.Snapshot snapshot = servers.get(s).snapshot(10, false);
      for (Map<SeriesKey, Accumulator> minute :
          snapshot.minutes(settings.dashboardView(), 10).values()) {
        for (Accumulator accumulator : minute.values()) {
          merged.merge(
              s == 0 ? accumulator : Accumulator.fromJson(json.valueToTree(accumulator.toJson())));
        }
      }
    }

    for (double p : new double[] {50, 90, 95, 99}) {
      double truth = exact[(int) Math.ceil(p / 100 * n) - 1];
      double sketched = merged.percentile("latency_ms", p);
      double error = Math.abs(sketched - truth) / truth;
      System.out.printf(
          "p%.0f exact %.1f ms, sketch %.1f ms, relative error %.4f%%%n",
          p, truth, sketched, error * 100);
      assertThat(error).as("relative error of p%.0f", p).isLessThan(0.01);
    }
    assertThat(merged.count()).isEqualTo(n);
  }
}
