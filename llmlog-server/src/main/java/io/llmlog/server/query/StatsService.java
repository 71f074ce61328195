package io.llmlog.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlog.core.FieldType;
import io.llmlog.core.LogField;
import io.llmlog.server.store.IndexFamily;
import io.llmlog.server.store.LogStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes {@link Stats}: from durable rollups ({@link RollupStats}) when the question has no KQL
 * filter and the rollups can answer it, otherwise with engine aggregations over the calls: one
 * search in the usual case, a second one only when the selected calls carry different sample
 * weights. The answer says which ({@link Stats#computed()}); {@code compute=index} asks for the
 * calls whatever the rollups could do.
 *
 * <p><b>Weights.</b> Counts are {@code sum(sample_weight)} with 1 for calls without a weight. The
 * engine has no weighted sum of a field and no scripts, but it has {@code weighted_avg}: {@code Σ
 * wᵢtᵢ / Σ wᵢ} with missing values read as 0, times the weighted count {@code Σ wᵢ}, is the
 * weighted token (and cost) sum. Percentiles cannot be weighted by the engine at all; when the
 * weights differ, the second search asks for each weight class's percentiles on a grid and {@link
 * WeightedQuantiles} combines them (rank error at most 1 percentage point, see there). When every
 * call has the same weight, weighting does not move a percentile and the engine's HDR percentiles
 * are used as they are.
 *
 * <p><b>Percentiles.</b> HDR histograms with 3 significant digits: every reported value is within
 * 0.1% of a value of the calls' distribution at that rank, which is finer than a latency chart
 * shows, at a fixed memory cost per bucket. (t-digest's error depends on the data and the rank;
 * HDR's is a plain relative bound, which is what a test and a user can check.)
 *
 * <p>Thread-safe; one instance serves every request.
 */
public final class StatsService {
  public static final int DEFAULT_GROUPS = 20;
  public static final int MAX_GROUPS = 500;
  public static final String DEFAULT_BY = LogField.MODEL.jsonName();

  /** The window when {@code from} is not given: the 24 hours before {@code to}. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

  /**
   * Groups × time buckets; beyond it the answer is too big for a chart and the engine's bucket
   * limit looms.
   */
  static final int MAX_BLOCKS = 5_000;

  public static final int HDR_DIGITS = 3;

  /**
   * The rank error of percentiles combined across weight classes, in percentage points ({@link
   * WeightedQuantiles}).
   */
  public static final double MAX_RANK_ERROR = WeightedQuantiles.MAX_RANK_ERROR;

  /**
   * Sampling rates seldom change; more distinct weights than this in one window are ignored by
   * percentiles.
   */
  static final int MAX_WEIGHT_CLASSES = 20;

  private static final String WEIGHT = LogField.SAMPLE_WEIGHT.jsonName();

  private final LogStore store;
  private final ObjectMapper json;
  private final CallQuery calls;
  private final Clock clock;
  private final RollupStats rollups;

  /**
   * @param rollups where questions without a filter are answered first, or null to always read the
   *     calls
   */
  public StatsService(LogStore store, ObjectMapper json, Clock clock, RollupStats rollups) {
    this.store = Objects.requireNonNull(store, "store");
    this.json = Objects.requireNonNull(json, "json");
    this.calls = new CallQuery(store, json);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.rollups = rollups;
  }

  /**
   * The stats of the selected calls.
   *
   * @throws InvalidParameterException when a parameter cannot be used, naming it
   * @throws io.llmlog.server.query.kql.KqlSyntaxException when {@code q} is not valid KQL
   * @throws io.llmlog.server.store.SearchFailedException when the engine refuses the search
   */
  public Stats stats(StatsRequest request) {
    String by = by(request.by());
    int groups = groups(request.size());
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    TimeRange range =
        TimeRange.parse(request.from(), request.to(), now).bounded(now, DEFAULT_WINDOW);
    Interval interval = Interval.parse(request.interval(), range);
    if (interval != null
        && (groups + 1L)
                * Interval.buckets(Duration.between(range.from(), range.to()), interval.duration())
            > MAX_BLOCKS) {
      throw new InvalidParameterException(
          "interval",
          "size="
              + groups
              + " groups × "
              + interval.text()
              + " buckets is more than "
              + MAX_BLOCKS
              + " series points; ask for fewer groups (size) or a wider interval");
    }
    if (fromRollups(request) && rollups != null) {
      Stats answer =
          rollups.answer(
              range.from(),
              range.to(),
              by,
              groups,
              interval == null ? null : interval.text(),
              interval == null ? null : interval.duration());
      if (answer != null) {
        return answer;
      }
    }
    ObjectNode query = calls.build(request.q(), range);
    StatsShape shape = new StatsShape(by, groups, interval, range);

    ObjectNode first = json.createObjectNode();
    first.set("query", query);
    first.put("size", 0);
    first.put("track_total_hits", true);
    ObjectNode aggs = first.putObject("aggs");
    aggs.putObject("weights").putObject("stats").put("field", WEIGHT).put("missing", 1);
    shape.write(aggs, this::metricAggs, null);
    JsonNode result = search(first);
    JsonNode root = result.path("aggregations");
    StatsShape.Block totals =
        shape.read(root, result.path("hits").path("total").path("value").asLong(), this::metrics);

    JsonNode weights = root.path("weights");
    boolean weightsVary =
        weights.path("count").asLong() > 0
            && weights.path("min").asDouble() != weights.path("max").asDouble();
    if (weightsVary) {
      ObjectNode second = json.createObjectNode();
      second.set("query", query);
      second.put("size", 0);
      second.put("track_total_hits", false);
      shape.write(second.putObject("aggs"), this::classAggs, totals.groupKeys());
      JsonNode classes = search(second).path("aggregations");
      totals =
          totals.withPercentiles(
              shape.read(classes, 0, (aggsNode, stored) -> weightedPercentiles(aggsNode)));
    }

    double inGroups = totals.groups().stream().mapToDouble(g -> g.metrics().calls()).sum();
    return new Stats(
        range.from(),
        range.to(),
        by,
        interval == null ? null : interval.text(),
        weightsVary,
        totals.metrics(),
        totals.buckets(),
        totals.groups(),
        Math.max(0, totals.metrics().calls() - inGroups),
        Stats.Computed.INDEX);
  }

  /** Rollups hold every call, unfiltered: a KQL filter is answered from the calls. */
  private static boolean fromRollups(StatsRequest request) {
    String compute = request.compute() == null ? "auto" : request.compute().trim();
    return switch (compute) {
      case "", "auto" -> request.q() == null || request.q().isBlank();
      case "index" -> false;
      default ->
          throw new InvalidParameterException(
              "compute", "expected auto or index, was '" + request.compute() + "'");
    };
  }

  private static String by(String by) {
    if (by == null || by.isBlank()) {
      return DEFAULT_BY;
    }
    String field = by.trim();
    if (field.startsWith("metadata.") && field.length() > "metadata.".length()) {
      return field;
    }
    LogField known = LogField.byJsonName(field);
    if (known == null || known == LogField.METADATA || known.type() != FieldType.KEYWORD) {
      throw new InvalidParameterException(
          "by",
          "'"
              + field
              + "' is not a keyword field; group by model, provider, service, environment, "
              + "user_id, level, stop_reason, error.type, tags or metadata.<key>");
    }
    return field;
  }

  private static int groups(Integer size) {
    if (size == null) {
      return DEFAULT_GROUPS;
    }
    if (size < 1 || size > MAX_GROUPS) {
      throw new InvalidParameterException(
          "size", "must be between 1 and " + MAX_GROUPS + ", was " + size);
    }
    return size;
  }

  private JsonNode search(ObjectNode body) {
    return store.searches().search(IndexFamily.LOGS, body).root();
  }

  // --- the aggregations of one block of calls (the totals, a group, a time bucket) ---

  private void metricAggs(ObjectNode aggs) {
    aggs.putObject("calls").putObject("sum").put("field", WEIGHT).put("missing", 1);
    ObjectNode errors = aggs.putObject("errors");
    errors.putObject("filter").putObject("term").put(LogField.LEVEL.jsonName(), "error");
    errors.putObject("aggs").putObject("w").putObject("sum").put("field", WEIGHT).put("missing", 1);
    percentiles(aggs.putObject("latency"), LogField.LATENCY_MS, new double[] {50, 95, 99});
    percentiles(aggs.putObject("ttft"), LogField.TTFT_MS, new double[] {50, 95});
    weightedAverage(aggs.putObject("latency_avg"), LogField.LATENCY_MS, null);
    weightedAverage(aggs.putObject("input_tokens"), LogField.INPUT_TOKENS, 0);
    weightedAverage(aggs.putObject("output_tokens"), LogField.OUTPUT_TOKENS, 0);
    weightedAverage(aggs.putObject("cost"), LogField.COST_USD, 0);
    weightedAverage(aggs.putObject("tps"), LogField.TOKENS_PER_SECOND, null);
  }

  /** Per weight class: the percentile grid and how many calls have the value. */
  private void classAggs(ObjectNode aggs) {
    ObjectNode classes = aggs.putObject("classes");
    classes
        .putObject("terms")
        .put("field", WEIGHT)
        .put("missing", 1)
        .put("size", MAX_WEIGHT_CLASSES);
    ObjectNode inner = classes.putObject("aggs");
    percentiles(inner.putObject("latency"), LogField.LATENCY_MS, WeightedQuantiles.GRID);
    inner
        .putObject("latency_n")
        .putObject("value_count")
        .put("field", LogField.LATENCY_MS.jsonName());
    percentiles(inner.putObject("ttft"), LogField.TTFT_MS, WeightedQuantiles.GRID);
    inner.putObject("ttft_n").putObject("value_count").put("field", LogField.TTFT_MS.jsonName());
  }

  private static void percentiles(ObjectNode agg, LogField field, double[] percents) {
    ObjectNode percentiles = agg.putObject("percentiles");
    percentiles.put("field", field.jsonName());
    ArrayNode list = percentiles.putArray("percents");
    for (double p : percents) {
      list.add(p);
    }
    percentiles.put("keyed", false);
    percentiles.putObject("hdr").put("number_of_significant_value_digits", HDR_DIGITS);
  }

  private static void weightedAverage(ObjectNode agg, LogField field, Integer missing) {
    ObjectNode average = agg.putObject("weighted_avg");
    ObjectNode value = average.putObject("value").put("field", field.jsonName());
    if (missing != null) {
      value.put("missing", missing);
    }
    average.putObject("weight").put("field", WEIGHT).put("missing", 1);
  }

  // --- reading them back ---

  private Stats.Metrics metrics(JsonNode aggs, long stored) {
    double calls = aggs.path("calls").path("value").asDouble(0);
    double errors = aggs.path("errors").path("w").path("value").asDouble(0);
    Map<Double, Double> latency = percentileValues(aggs.path("latency"));
    Map<Double, Double> ttft = percentileValues(aggs.path("ttft"));
    return new Stats.Metrics(
        calls,
        stored,
        errors,
        calls > 0 ? errors / calls : null,
        number(aggs.path("latency_avg").path("value")),
        latency.get(50.0),
        latency.get(95.0),
        latency.get(99.0),
        ttft.get(50.0),
        ttft.get(95.0),
        weightedSum(aggs.path("input_tokens"), calls),
        weightedSum(aggs.path("output_tokens"), calls),
        weightedSum(aggs.path("cost"), calls),
        number(aggs.path("tps").path("value")));
  }

  /**
   * The percentiles of a block combined across its weight classes; only the percentile fields are
   * set.
   */
  private Stats.Metrics weightedPercentiles(JsonNode aggs) {
    List<WeightedQuantiles.WeightClass> latency = new ArrayList<>();
    List<WeightedQuantiles.WeightClass> ttft = new ArrayList<>();
    for (JsonNode bucket : aggs.path("classes").path("buckets")) {
      double weight = bucket.path("key").asDouble();
      latency.add(
          new WeightedQuantiles.WeightClass(
              weight,
              bucket.path("latency_n").path("value").asLong(),
              grid(bucket.path("latency"))));
      ttft.add(
          new WeightedQuantiles.WeightClass(
              weight, bucket.path("ttft_n").path("value").asLong(), grid(bucket.path("ttft"))));
    }
    return new Stats.Metrics(
        0,
        0,
        0,
        null,
        null,
        WeightedQuantiles.percentile(latency, 50),
        WeightedQuantiles.percentile(latency, 95),
        WeightedQuantiles.percentile(latency, 99),
        WeightedQuantiles.percentile(ttft, 50),
        WeightedQuantiles.percentile(ttft, 95),
        0,
        0,
        0,
        null);
  }

  private static double[] grid(JsonNode percentiles) {
    double[] values = new double[WeightedQuantiles.GRID.length];
    Arrays.fill(values, Double.NaN);
    Map<Double, Double> byPercent = percentileValues(percentiles);
    for (int i = 0; i < values.length; i++) {
      Double value = byPercent.get(WeightedQuantiles.GRID[i]);
      if (value != null) {
        values[i] = value;
      }
    }
    return values;
  }

  private static Map<Double, Double> percentileValues(JsonNode percentiles) {
    Map<Double, Double> values = new HashMap<>();
    for (JsonNode entry : percentiles.path("values")) {
      Double value = number(entry.path("value"));
      if (value != null) {
        values.put(entry.path("key").asDouble(), value);
      }
    }
    return values;
  }

  private static double weightedSum(JsonNode weightedAverage, double calls) {
    Double average = number(weightedAverage.path("value"));
    return average == null ? 0 : average * calls;
  }

  /**
   * A finite number, or null for null, "NaN" and the like (what the engine says for empty buckets).
   */
  private static Double number(JsonNode node) {
    if (!node.isNumber()) {
      return null;
    }
    double value = node.asDouble();
    return Double.isFinite(value) ? value : null;
  }
}
