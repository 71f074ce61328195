package io.llmlog.server.quality;

import io.llmlog.server.pipeline.Event;
import java.util.function.Function;

/**
 * A value within bounds: {@code type: length} (the characters of a text field, {@code min} and
 * {@code max}) and {@code type: budget} (a numeric field such as {@code latency_ms} or {@code
 * cost_usd} at most {@code max}). Score 1 within, 0 outside; label {@code ok}, {@code
 * too_short}/{@code too_long} or {@code within}/{@code over}.
 */
final class BoundsCheck implements CallEvaluator {
  private final String field;
  private final Function<Object, Double> measure;
  private final double min;
  private final double max;
  private final String unit;
  private final boolean budget;

  private BoundsCheck(
      String field,
      Function<Object, Double> measure,
      double min,
      double max,
      String unit,
      boolean budget) {
    this.field = field;
    this.measure = measure;
    this.min = min;
    this.max = max;
    this.unit = unit;
    this.budget = budget;
  }

  /** Characters (code points) of a text field. */
  static BoundsCheck length(String field, double min, double max) {
    return new BoundsCheck(
        field,
        value ->
            value instanceof String text ? (double) text.codePointCount(0, text.length()) : null,
        min,
        max,
        "characters",
        false);
  }

  /** A numeric field's value against a budget. */
  static BoundsCheck budget(String field, double max) {
    String unit =
        field.endsWith("_ms")
            ? "ms"
            : field.endsWith("_usd") ? "USD" : field.endsWith("_tokens") ? "tokens" : "";
    return new BoundsCheck(
        field,
        value -> value instanceof Number number ? number.doubleValue() : null,
        Double.NEGATIVE_INFINITY,
        max,
        unit,
        true);
  }

  @Override
  public Verdict evaluate(Event call) {
    Double value = measure.apply(call.get(field));
    if (value == null) {
      return null;
    }
    String shown = format(value) + (unit.isEmpty() ? "" : " " + unit);
    if (budget) {
      return value <= max
          ? Verdict.pass("within", shown + " of " + format(max))
          : Verdict.fail("over", shown + ", over " + format(max));
    }
    if (value < min) {
      return Verdict.fail("too_short", shown + ", fewer than " + format(min));
    }
    if (value > max) {
      return Verdict.fail("too_long", shown + ", more than " + format(max));
    }
    return Verdict.pass("ok", shown);
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : String.format(java.util.Locale.ROOT, "%.4g", value);
  }
}
