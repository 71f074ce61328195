package io.llmlog.server.live;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The dashboard view of a snapshot, as {@code GET /api/v1/live} answers it. */
final class LiveReport {
  private static final int[] PERCENTILES = {50, 90, 95, 99};
  private static final List<String> SUMS = List.of("input_tokens", "output_tokens", "total_tokens");

  private final LiveSettings settings;

  LiveReport(LiveSettings settings) {
    this.settings = settings;
  }

  LiveView render(LiveAggregates.Snapshot snapshot, ViewSpec view, int minutes, String partial) {
    Map<Long, Map<SeriesKey, Accumulator>> byMinute = snapshot.minutes(view, minutes);
    long last = snapshot.lastMinute();
    Accumulator windowTotal = new Accumulator();
    List<LiveView.Point> totalPoints = new ArrayList<>();
    Map<SeriesKey, Accumulator> seriesTotals = new LinkedHashMap<>();
    Map<SeriesKey, List<LiveView.Point>> seriesPoints = new LinkedHashMap<>();
    for (long minute = last - minutes + 1; minute <= last; minute++) {
      Instant at = Instant.ofEpochSecond(minute * 60);
      Accumulator minuteTotal = new Accumulator();
      for (Map.Entry<SeriesKey, Accumulator> series :
          byMinute.getOrDefault(minute, Map.of()).entrySet()) {
        minuteTotal.merge(series.getValue());
        seriesTotals
            .computeIfAbsent(series.getKey(), k -> new Accumulator())
            .merge(series.getValue());
        seriesPoints
            .computeIfAbsent(series.getKey(), k -> new ArrayList<>())
            .add(new LiveView.Point(at, numbers(series.getValue(), view)));
      }
      windowTotal.merge(minuteTotal);
      totalPoints.add(new LiveView.Point(at, numbers(minuteTotal, view)));
    }
    List<SeriesKey> keys = new ArrayList<>(seriesTotals.keySet());
    keys.sort(
        Comparator.comparingDouble((SeriesKey key) -> -seriesTotals.get(key).count())
            .thenComparing(SeriesKey::text));
    List<LiveView.Series> series = new ArrayList<>();
    for (SeriesKey key : keys) {
      series.add(
          new LiveView.Series(
              key.labels(view.groupBy()),
              key.overflow(),
              numbers(seriesTotals.get(key), view),
              seriesPoints.get(key)));
    }
    return new LiveView(
        snapshot.now(),
        minutes,
        settings.retention(),
        settings.maxSeriesPerMinute(),
        view.groupBy(),
        partial,
        totalPoints,
        numbers(windowTotal, view),
        series);
  }

  private static LiveView.Numbers numbers(Accumulator aggregate, ViewSpec view) {
    Map<String, Double> sums = new LinkedHashMap<>();
    SUMS.forEach(field -> sums.put(field, aggregate.sum(field)));
    Map<String, LiveView.Distribution> distributions = new LinkedHashMap<>();
    for (String field : view.sketchFields()) {
      Map<Integer, Double> percentiles = new LinkedHashMap<>();
      for (int p : PERCENTILES) {
        percentiles.put(p, aggregate.percentile(field, p));
      }
      distributions.put(
          field,
          new LiveView.Distribution(aggregate.avg(field), percentiles, aggregate.max(field)));
    }
    return new LiveView.Numbers(
        aggregate.count(),
        aggregate.errors(),
        aggregate.count() == 0 ? Double.NaN : aggregate.errors() / aggregate.count(),
        sums,
        aggregate.sum("cost_usd"),
        distributions);
  }
}
