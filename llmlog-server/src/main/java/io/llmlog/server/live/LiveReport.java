package io.llmlog.server.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import io.llmlog.server.config.Units;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the dashboard view of a snapshot as the JSON of {@code GET /api/v1/live}. */
final class LiveReport {
  private static final double[] PERCENTILES = {50, 90, 95, 99};

  private final ObjectMapper json;
  private final LiveSettings settings;

  LiveReport(ObjectMapper json, LiveSettings settings) {
    this.json = json;
    this.settings = settings;
  }

  ObjectNode render(LiveAggregates.Snapshot snapshot, ViewSpec view, int minutes, String partial) {
    ObjectNode root = json.createObjectNode();
    root.put("now", Timestamps.format(snapshot.now()));
    root.put("minutes", minutes);
    root.put("retention", Units.formatDuration(settings.retention()));
    root.put("max_series_per_minute", settings.maxSeriesPerMinute());
    view.groupBy().forEach(root.putArray("group_by")::add);
    root.put("partial", partial != null);
    if (partial != null) {
      root.put("partial_reason", partial);
    }
    Map<Long, Map<SeriesKey, Accumulator>> byMinute = snapshot.minutes(view, minutes);
    long last = snapshot.lastMinute();

    ObjectNode totals = root.putObject("totals");
    Accumulator windowTotal = new Accumulator();
    ArrayNode totalPoints = totals.putArray("points");
    Map<SeriesKey, Accumulator> seriesTotals = new LinkedHashMap<>();
    Map<SeriesKey, ArrayNode> seriesPoints = new LinkedHashMap<>();
    for (long minute = last - minutes + 1; minute <= last; minute++) {
      Accumulator minuteTotal = new Accumulator();
      for (Map.Entry<SeriesKey, Accumulator> series : byMinute.getOrDefault(minute, Map.of()).entrySet()) {
        minuteTotal.merge(series.getValue());
        seriesTotals.computeIfAbsent(series.getKey(), k -> new Accumulator()).merge(series.getValue());
        ObjectNode point = seriesPoints.computeIfAbsent(series.getKey(), k -> json.createArrayNode()).addObject();
        point.put("minute", minuteText(minute));
        stats(point, series.getValue(), view);
      }
      windowTotal.merge(minuteTotal);
      ObjectNode point = totalPoints.addObject();
      point.put("minute", minuteText(minute));
      stats(point, minuteTotal, view);
    }
    stats(totals.putObject("window"), windowTotal, view);

    ArrayNode seriesArray = root.putArray("series");
    List<SeriesKey> keys = new ArrayList<>(seriesTotals.keySet());
    keys.sort(Comparator.comparingDouble((SeriesKey key) -> -seriesTotals.get(key).count()).thenComparing(SeriesKey::text));
    for (SeriesKey key : keys) {
      ObjectNode series = seriesArray.addObject();
      ObjectNode labels = series.putObject("labels");
      key.labels(view.groupBy()).forEach(labels::put);
      series.put("overflow", key.overflow());
      stats(series.putObject("window"), seriesTotals.get(key), view);
      series.set("points", seriesPoints.get(key));
    }
    return root;
  }

  private static String minuteText(long epochMinute) {
    return Timestamps.format(Instant.ofEpochSecond(epochMinute * 60));
  }

  private static void stats(ObjectNode node, Accumulator aggregate, ViewSpec view) {
    node.put("count", round(aggregate.count()));
    node.put("errors", round(aggregate.errors()));
    number(node, "error_rate", aggregate.count() == 0 ? Double.NaN : aggregate.errors() / aggregate.count());
    for (String field : List.of("input_tokens", "output_tokens", "total_tokens")) {
      node.put(field, round(aggregate.sum(field)));
    }
    number(node, "cost_usd", aggregate.sum("cost_usd"));
    for (String field : view.sketchFields()) {
      ObjectNode distribution = node.putObject(field);
      number(distribution, "avg", aggregate.avg(field));
      for (double p : PERCENTILES) {
        number(distribution, "p" + (int) p, aggregate.percentile(field, p));
      }
      number(distribution, "max", aggregate.max(field));
    }
  }

  private static void number(ObjectNode node, String name, double value) {
    if (Double.isNaN(value)) {
      node.putNull(name);
    } else {
      node.put(name, value);
    }
  }

  /** Weighted counts are whole for whole weights; print them so. */
  private static double round(double value) {
    return Math.abs(value - Math.rint(value)) < 1e-9 ? Math.rint(value) : value;
  }
}
