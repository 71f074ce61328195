package io.llmlog.server.live;

import static io.llmlog.server.live.LiveEvents.call;
import static io.llmlog.server.live.LiveEvents.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import io.llmlog.server.MutableClock;
import io.llmlog.server.api.LiveJson;
import io.llmlog.server.pipeline.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LiveAggregatesTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  final MutableClock clock = new MutableClock(T0.plusSeconds(30));
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  LiveAggregates live(LiveSettings settings, ViewSpec... more) {
    List<ViewSpec> views = new ArrayList<>();
    views.add(settings.dashboardView());
    views.addAll(List.of(more));
    return new LiveAggregates(settings, views, null, clock, meters, "test");
  }

  static LiveSettings settings(int maxSeries) {
    return new LiveSettings(
        Duration.ofMinutes(60), List.of("model"), maxSeries, List.of("latency_ms", "ttft_ms"));
  }

  @Test
  void stored_callsOfSeveralModels_countedPerModelAndMergedForTotals() {
    LiveAggregates live = live(settings(100));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      events.add(
          call(T0.plusSeconds(i % 60), i % 3 == 0 ? "gpt-4" : "claude-3", 1000 + i, i % 10 == 0));
    }
    live.stored(events);

    LiveAggregates.Snapshot snapshot = live.snapshot(5, false);
    List<LiveAggregates.SeriesAggregate> perModel = snapshot.window(live.views().get(0), false, 5);
    List<LiveAggregates.SeriesAggregate> total = snapshot.window(live.views().get(0), true, 5);

    assertThat(perModel)
        .extracting(s -> s.labels().get("model"))
        .containsExactlyInAnyOrder("gpt-4", "claude-3");
    assertThat(perModel)
        .filteredOn(s -> s.labels().get("model").equals("gpt-4"))
        .first()
        .satisfies(s -> assertThat(s.aggregate().count()).isEqualTo(30));
    assertThat(total).hasSize(1);
    Aggregate all = total.get(0).aggregate();
    assertThat(all.count()).isEqualTo(90);
    assertThat(all.errors()).isEqualTo(9);
    assertThat(all.sum("input_tokens")).isEqualTo(9000);
    assertThat(all.sum("cost_usd")).isCloseTo(0.18, within(1e-9));
    assertThat(all.min("latency_ms")).isEqualTo(1000);
    assertThat(all.max("latency_ms")).isEqualTo(1089);
    assertThat(all.avg("latency_ms")).isCloseTo(1044.5, within(1e-9));
    assertThat(all.percentile("latency_ms", 50)).isCloseTo(1044, within(1.5));
  }

  @Test
  void stored_sampleWeight_countsAsThatManyCalls() {
    LiveAggregates live = live(settings(100));
    live.stored(
        List.of(
            with(call(T0, "gpt-4", 100, false), "sample_weight", 10.0),
            call(T0, "gpt-4", 5000, true)));

    Aggregate all = live.snapshot(1, false).window(live.views().get(0), true, 1).get(0).aggregate();

    assertThat(all.count()).isEqualTo(11);
    assertThat(all.errors()).isEqualTo(1);
    assertThat(all.sum("input_tokens")).isEqualTo(1100);
    assertThat(all.avg("latency_ms")).isCloseTo((10 * 100 + 5000) / 11.0, within(1e-9));
    // Ten of the eleven are fast: the median is the fast one, the 95th percentile the slow one.
    assertThat(all.percentile("latency_ms", 50)).isCloseTo(100, within(0.1));
    assertThat(all.percentile("latency_ms", 95)).isCloseTo(5000, within(5.0));
  }

  @Test
  void stored_fractionalWeight_countsExactlyAndSketchesRounded() {
    LiveAggregates live = live(settings(100));
    live.stored(
        List.of(
            with(call(T0, "gpt-4", 100, false), "sample_weight", 2.5),
            with(call(T0, "gpt-4", 100, false), "sample_weight", 0.2)));

    Aggregate all = live.snapshot(1, false).window(live.views().get(0), true, 1).get(0).aggregate();

    assertThat(all.count()).isCloseTo(2.7, within(1e-9));
    assertThat(all.percentile("latency_ms", 50)).isCloseTo(100, within(0.1));
  }

  @Test
  void stored_moreSeriesThanTheCap_extraSeriesGoToOther() {
    LiveAggregates live = live(settings(2));
    live.stored(
        List.of(
            call(T0, "a", 1, false),
            call(T0, "b", 1, false),
            call(T0, "c", 1, false),
            call(T0, "d", 1, true),
            call(T0, "a", 1, false)));

    List<LiveAggregates.SeriesAggregate> series =
        live.snapshot(1, false).window(live.views().get(0), false, 1);

    Map<String, Double> counts = new LinkedHashMap<>();
    series.forEach(
        s ->
            counts.put(s.labels().get("model") + (s.overflow() ? "*" : ""), s.aggregate().count()));
    assertThat(counts)
        .containsOnly(Map.entry("a", 2.0), Map.entry("b", 1.0), Map.entry("other*", 2.0));
    assertThat(meters.counter("llmlog.live.overflow").count()).isEqualTo(2);
  }

  @Test
  void stored_requestOnlyPart_isNotACall() {
    LiveAggregates live = live(settings(100));
    Map<String, Object> request =
        new LinkedHashMap<>(
            Map.of(
                "request_id",
                "x",
                "timestamp",
                Timestamps.format(T0),
                "model",
                "gpt-4",
                "input_tokens",
                10L,
                "prompt",
                "hi"));
    live.stored(List.of(new Event(request, 1)));

    assertThat(live.snapshot(1, false).window(live.views().get(0), true, 1)).isEmpty();
  }

  @Test
  void stored_errorTypeWithoutLevel_isAnError() {
    LiveAggregates live = live(settings(100));
    Event event = call(T0, "gpt-4", 10, false);
    event.remove("level");
    event.set("error.type", "timeout");
    live.stored(List.of(event));

    assertThat(
            live.snapshot(1, false)
                .window(live.views().get(0), true, 1)
                .get(0)
                .aggregate()
                .errors())
        .isEqualTo(1);
  }

  @Test
  void stored_olderThanRetention_isSkipped() {
    LiveAggregates live = live(settings(100));
    live.stored(List.of(call(T0.minus(Duration.ofHours(2)), "gpt-4", 10, false)));

    assertThat(live.snapshot(60, false).window(live.views().get(0), true, 60)).isEmpty();
    assertThat(meters.counter("llmlog.live.skipped", "reason", "older_than_retention").count())
        .isEqualTo(1);
  }

  @Test
  void window_minutes_countsTheCurrentMinuteAndThoseBefore() {
    LiveAggregates live = live(settings(100));
    clock.set(T0.plus(Duration.ofMinutes(10)).plusSeconds(5));
    live.stored(
        List.of(
            call(T0.plus(Duration.ofMinutes(10)), "m", 1, false),
            call(T0.plus(Duration.ofMinutes(6)), "m", 1, false),
            call(T0.plus(Duration.ofMinutes(5)).plusSeconds(59), "m", 1, false)));

    LiveAggregates.Snapshot snapshot = live.snapshot(60, false);

    assertThat(snapshot.window(live.views().get(0), true, 5).get(0).aggregate().count())
        .isEqualTo(2);
    assertThat(snapshot.window(live.views().get(0), true, 6).get(0).aggregate().count())
        .isEqualTo(3);
  }

  @Test
  void stored_ruleView_countsItsFilterAndKqlCounts() {
    ViewSpec slowGpt =
        new ViewSpec(
            "model:gpt-4",
            List.of(),
            Set.of("latency_ms > 1000", "stop_reason:length"),
            Set.of("output_tokens"));
    LiveAggregates live = live(settings(100), slowGpt);
    live.stored(
        List.of(
            call(T0, "gpt-4", 2000, false),
            with(call(T0, "gpt-4", 500, false), "stop_reason", "length"),
            call(T0, "claude-3", 5000, false)));

    Aggregate gpt = live.snapshot(1, false).window(slowGpt, true, 1).get(0).aggregate();

    assertThat(gpt.count()).isEqualTo(2);
    assertThat(gpt.matching("latency_ms > 1000")).isEqualTo(1);
    assertThat(gpt.matching("stop_reason:length")).isEqualTo(1);
    assertThat(gpt.matching("not tracked")).isNaN();
    assertThat(gpt.percentile("output_tokens", 50)).isCloseTo(50, within(0.1));
  }

  @Test
  void publish_afterRetention_forgetsOldMinutes() {
    LiveAggregates live =
        live(new LiveSettings(Duration.ofMinutes(5), List.of("model"), 100, List.of("latency_ms")));
    live.stored(List.of(call(T0, "m", 1, false)));
    clock.advance(Duration.ofMinutes(10));

    live.publish();

    assertThat(live.snapshot(5, false).window(live.views().get(0), true, 5)).isEmpty();
  }

  @Test
  void report_lastMinutes_hasTotalsPerMinuteAndSeriesByCount() {
    LiveAggregates live = live(settings(100));
    clock.set(T0.plus(Duration.ofMinutes(2)).plusSeconds(10));
    live.stored(
        List.of(
            call(T0, "a", 100, false),
            call(T0.plus(Duration.ofMinutes(2)), "b", 300, true),
            call(T0.plus(Duration.ofMinutes(2)), "b", 200, false)));

    ObjectNode report = LiveJson.render(new ObjectMapper(), live.report(3));

    assertThat(report.path("minutes").asInt()).isEqualTo(3);
    assertThat(report.path("partial").asBoolean()).isFalse();
    assertThat(report.path("totals").path("points")).hasSize(3);
    assertThat(report.path("totals").path("points").get(1).path("count").asDouble()).isZero();
    assertThat(report.path("totals").path("window").path("count").asDouble()).isEqualTo(3);
    assertThat(report.path("totals").path("window").path("error_rate").asDouble())
        .isCloseTo(1 / 3.0, within(1e-9));
    assertThat(report.path("series").get(0).path("labels").path("model").asText()).isEqualTo("b");
    assertThat(
            report.path("series").get(0).path("window").path("latency_ms").path("max").asDouble())
        .isEqualTo(300);
    assertThat(report.path("series").get(1).path("points")).hasSize(1);
  }
}
