package io.llmlog.server.live;

import io.llmlog.core.LogField;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The calls of one rollup unit (or of the part of a minute that a window cuts), folded as the stats
 * count them, with their sketches as {@link Bins}: the total, and per grouping field one
 * accumulator per value (a call without the field is in no value's, as the engine's terms
 * aggregation leaves it out; a call with several values is in each). A field with more than {@link
 * #MAX_VALUES} values in a unit is marked overflowing and keeps no values: a question grouped by it
 * goes to the index. Not thread-safe.
 */
final class UnitFold {
  /** Values of one grouping field kept per unit; beyond it the field is not rolled up there. */
  static final int MAX_VALUES = 1_000;

  static final List<String> SKETCHED =
      List.of(LogField.LATENCY_MS.jsonName(), LogField.TTFT_MS.jsonName());

  /**
   * The numbers the stats report (and the weight): only these are read and kept, 7 of the 16
   * numeric fields, so that a rollup document holds what an answer uses and no more.
   */
  static final List<LogField> NUMBERS =
      List.of(
          LogField.SAMPLE_WEIGHT,
          LogField.LATENCY_MS,
          LogField.TTFT_MS,
          LogField.INPUT_TOKENS,
          LogField.OUTPUT_TOKENS,
          LogField.COST_USD,
          LogField.TOKENS_PER_SECOND);

  private static final String LEVEL = LogField.LEVEL.jsonName();
  private static final int WEIGHT = Accumulator.NUMERIC.indexOf(LogField.SAMPLE_WEIGHT);

  final RollupUnit unit;
  final Accumulator total = Accumulator.binned();
  final Map<String, Map<String, Accumulator>> values = new LinkedHashMap<>();
  final Set<String> overflowing = new HashSet<>();

  UnitFold(RollupUnit unit) {
    this.unit = unit;
  }

  /** The fields a call is read with: its time, level, {@link #NUMBERS} and the grouping fields. */
  static List<String> fields(List<String> dimensions) {
    // Each once: a field asked twice comes back with its values twice.
    Set<String> fields = new LinkedHashSet<>();
    fields.add(LogField.TIMESTAMP.jsonName());
    fields.add(LEVEL);
    NUMBERS.forEach(field -> fields.add(field.jsonName()));
    fields.addAll(dimensions);
    return List.copyOf(fields);
  }

  /**
   * Adds one call as the index holds it. As the index's stats: a call without {@code sample_weight}
   * weighs 1 and an error is {@code level: error}.
   */
  void add(Map<String, Object> call, List<String> dimensions) {
    double[] numbers = new double[Accumulator.NUMERIC.size()];
    Arrays.fill(numbers, Double.NaN);
    for (LogField field : NUMBERS) {
      numbers[Accumulator.NUMERIC.indexOf(field)] = number(call.get(field.jsonName()));
    }
    double weight = Double.isNaN(numbers[WEIGHT]) ? 1.0 : numbers[WEIGHT];
    boolean error = texts(call.get(LEVEL)).contains("error");
    total.add(weight, error, List.of(), numbers, SKETCHED);
    for (String dimension : dimensions) {
      for (String value : texts(call.get(dimension))) {
        Accumulator into = valueOf(dimension, value);
        if (into != null) {
          into.add(weight, error, List.of(), numbers, SKETCHED);
        }
      }
    }
  }

  /** Adds what another fold of the same unit (or of a part of it) holds. */
  void merge(UnitFold other) {
    total.merge(other.total);
    overflowing.addAll(other.overflowing);
    other.values.forEach(
        (dimension, byValue) -> {
          values.computeIfAbsent(dimension, d -> new LinkedHashMap<>());
          byValue.forEach(
              (value, accumulator) -> {
                Accumulator into = valueOf(dimension, value);
                if (into != null) {
                  into.merge(accumulator);
                }
              });
        });
  }

  /** The accumulator of a value, or null when the field overflows in this unit. */
  private Accumulator valueOf(String dimension, String value) {
    if (overflowing.contains(dimension)) {
      return null;
    }
    Map<String, Accumulator> byValue =
        values.computeIfAbsent(dimension, d -> new LinkedHashMap<>());
    Accumulator accumulator = byValue.get(value);
    if (accumulator == null) {
      if (byValue.size() >= MAX_VALUES) {
        overflowing.add(dimension);
        byValue.clear();
        return null;
      }
      accumulator = Accumulator.binned();
      byValue.put(value, accumulator);
    }
    return accumulator;
  }

  private static List<String> texts(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return value == null ? List.of() : List.of(value.toString());
  }

  private static double number(Object value) {
    if (value instanceof Number number) {
      double d = number.doubleValue();
      return Double.isFinite(d) ? d : Double.NaN;
    }
    if (value instanceof List<?> list && !list.isEmpty()) {
      return number(list.get(0));
    }
    return Double.NaN;
  }
}
