package io.llmlog.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.Timestamps;
import io.llmlog.server.config.Units;
import io.llmlog.server.live.LiveView;
import java.util.Map;

/**
 * {@code GET /api/v1/live}: the live view as JSON. Counts with whole weights print whole; a missing
 * number is null. Public so that the live aggregates' tests read the view as the dashboard does.
 */
public final class LiveJson {
  private LiveJson() {}

  public static ObjectNode render(ObjectMapper json, LiveView view) {
    ObjectNode root = json.createObjectNode();
    root.put("now", Timestamps.format(view.now()));
    root.put("minutes", view.minutes());
    root.put("retention", Units.formatDuration(view.retention()));
    root.put("max_series_per_minute", view.maxSeriesPerMinute());
    view.groupBy().forEach(root.putArray("group_by")::add);
    root.put("partial", view.partialReason() != null);
    if (view.partialReason() != null) {
      root.put("partial_reason", view.partialReason());
    }
    ObjectNode totals = root.putObject("totals");
    points(totals.putArray("points"), view.points());
    numbers(totals.putObject("window"), view.window());
    ArrayNode seriesArray = root.putArray("series");
    for (LiveView.Series series : view.series()) {
      ObjectNode node = seriesArray.addObject();
      ObjectNode labels = node.putObject("labels");
      series.labels().forEach(labels::put);
      node.put("overflow", series.overflow());
      numbers(node.putObject("window"), series.window());
      points(node.putArray("points"), series.points());
    }
    return root;
  }

  private static void points(ArrayNode array, java.util.List<LiveView.Point> points) {
    for (LiveView.Point point : points) {
      ObjectNode node = array.addObject();
      node.put("minute", Timestamps.format(point.minute()));
      numbers(node, point.numbers());
    }
  }

  private static void numbers(ObjectNode node, LiveView.Numbers numbers) {
    node.put("count", round(numbers.count()));
    node.put("errors", round(numbers.errors()));
    JsonValues.number(node, "error_rate", numbers.errorRate());
    numbers.sums().forEach((field, sum) -> node.put(field, round(sum)));
    JsonValues.number(node, "cost_usd", numbers.costUsd());
    for (Map.Entry<String, LiveView.Distribution> field : numbers.distributions().entrySet()) {
      ObjectNode distribution = node.putObject(field.getKey());
      JsonValues.number(distribution, "avg", field.getValue().avg());
      field
          .getValue()
          .percentiles()
          .forEach((p, value) -> JsonValues.number(distribution, "p" + p, value));
      JsonValues.number(distribution, "max", field.getValue().max());
    }
  }

  /** Weighted counts are whole for whole weights; print them so. */
  private static double round(double value) {
    return Math.abs(value - Math.rint(value)) < 1e-9 ? Math.rint(value) : value;
  }
}
