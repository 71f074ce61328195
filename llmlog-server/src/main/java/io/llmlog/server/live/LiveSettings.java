package io.llmlog.server.live;

import io.llmlog.core.FieldType;
import io.llmlog.core.LogField;
import io.llmlog.server.config.ConfigException;
import io.llmlog.server.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code live:} section of llmlog.yaml.
 *
 * @param retention how many minutes are kept in memory (and looked back by rules at most)
 * @param groupBy keyword fields that split the dashboard's series ({@code model} by default)
 * @param maxSeriesPerMinute series per view and minute; calls of further series go to one {@code
 *     other} series
 * @param sketchFields numeric fields with percentile sketches for the dashboard
 */
public record LiveSettings(
    Duration retention, List<String> groupBy, int maxSeriesPerMinute, List<String> sketchFields) {
  public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(60);
  static final Duration MAX_RETENTION = Duration.ofHours(24);

  public LiveSettings {
    groupBy = List.copyOf(groupBy);
    sketchFields = List.copyOf(sketchFields);
  }

  public static LiveSettings defaults() {
    return new LiveSettings(
        DEFAULT_RETENTION, List.of("model"), 100, List.of("latency_ms", "ttft_ms"));
  }

  /** Reads {@code live.*}, applying defaults. */
  public static LiveSettings from(Settings settings) {
    LiveSettings defaults = defaults();
    Duration retention = settings.duration("live.retention", defaults.retention());
    if (retention.compareTo(Duration.ofMinutes(1)) < 0
        || retention.compareTo(MAX_RETENTION) > 0
        || retention.toSeconds() % 60 != 0) {
      throw new ConfigException(
          "live.retention must be whole minutes between 1m and 24h, was " + retention);
    }
    int maxSeries = settings.integer("live.max_series_per_minute", defaults.maxSeriesPerMinute());
    if (maxSeries < 1 || maxSeries > 10_000) {
      throw new ConfigException(
          "live.max_series_per_minute must be between 1 and 10000, was " + maxSeries);
    }
    List<String> groupBy = settings.strings("live.group_by", defaults.groupBy());
    for (String field : groupBy) {
      String problem = groupFieldProblem(field);
      if (problem != null) {
        throw new ConfigException("live.group_by: " + problem);
      }
    }
    List<String> sketches = settings.strings("live.sketch_fields", defaults.sketchFields());
    for (String field : sketches) {
      String problem = numericFieldProblem(field);
      if (problem != null) {
        throw new ConfigException("live.sketch_fields: " + problem);
      }
    }
    settings.rejectUnknown("live");
    return new LiveSettings(retention, groupBy, maxSeries, sketches);
  }

  /** The view the dashboard reads. */
  public ViewSpec dashboardView() {
    return new ViewSpec(null, groupBy, java.util.Set.of(), java.util.Set.copyOf(sketchFields));
  }

  /**
   * Why a field cannot split series, or null when it can: known keyword fields and {@code
   * metadata.<key>}.
   */
  public static String groupFieldProblem(String field) {
    if (field.startsWith("metadata.") && field.length() > "metadata.".length()) {
      return null;
    }
    LogField known = LogField.byJsonName(field);
    if (known == null) {
      return "unknown field '"
          + field
          + "' (group by a keyword field such as model, provider, service, environment, user_id, "
          + "stop_reason, error.type, or metadata.<key>)";
    }
    if (known.type() != FieldType.KEYWORD || known == LogField.METADATA || known == LogField.TAGS) {
      return "field '"
          + field
          + "' is "
          + known.type().name().toLowerCase(java.util.Locale.ROOT)
          + "; group by a single-valued keyword field such as model";
    }
    return null;
  }

  /**
   * Why a field cannot be summed or sketched, or null when it can: the numeric fields of {@link
   * LogField}.
   */
  public static String numericFieldProblem(String field) {
    LogField known = LogField.byJsonName(field);
    if (known == null) {
      return "unknown field '" + field + "' (numeric fields: " + numericFieldNames() + ")";
    }
    if (!known.isNumeric()) {
      return "field '" + field + "' is not numeric (numeric fields: " + numericFieldNames() + ")";
    }
    return null;
  }

  static String numericFieldNames() {
    List<String> names = new ArrayList<>();
    Accumulator.NUMERIC.forEach(field -> names.add(field.jsonName()));
    return String.join(", ", names);
  }
}
