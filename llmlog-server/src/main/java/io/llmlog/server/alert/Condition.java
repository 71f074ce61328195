package io.llmlog.server.alert;

import io.llmlog.server.live.Aggregate;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A rule's condition: two expressions over a window's {@link Aggregate} compared, as in {@code
 * count(errors) / count(all) > 0.05}. The left side is the alert's value, the right side its
 * threshold.
 *
 * <p>No value ({@link Double#NaN}) arises from a division by zero, an average, extreme or
 * percentile of nothing, and propagates; a condition without a value does not hold.
 */
record Condition(String text, Expr left, String operator, Expr right) {
  Condition {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(left, "left");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(right, "right");
  }

  /** The two sides evaluated, and whether the comparison holds (never when a side has no value). */
  record Result(double value, double threshold, boolean holds) {
    boolean hasValue() {
      return !Double.isNaN(value) && !Double.isNaN(threshold);
    }
  }

  Result evaluate(Aggregate aggregate) {
    double value = left.eval(aggregate);
    double threshold = right.eval(aggregate);
    if (Double.isNaN(value) || Double.isNaN(threshold)) {
      return new Result(value, threshold, false);
    }
    boolean holds =
        switch (operator) {
          case ">" -> value > threshold;
          case ">=" -> value >= threshold;
          case "<" -> value < threshold;
          case "<=" -> value <= threshold;
          case "==" -> value == threshold;
          case "!=" -> value != threshold;
          default -> throw new IllegalStateException("unknown comparison " + operator);
        };
    return new Result(value, threshold, holds);
  }

  /** The KQL filters of {@code count(<KQL>)}s, which the live aggregates must count. */
  Set<String> countFilters() {
    Set<String> filters = new TreeSet<>();
    left.collect(filters, null);
    right.collect(filters, null);
    return filters;
  }

  /** The fields of {@code percentile(field, p)}s, which the live aggregates must sketch. */
  Set<String> sketchFields() {
    Set<String> fields = new TreeSet<>();
    left.collect(null, fields);
    right.collect(null, fields);
    return fields;
  }

  /** An arithmetic expression over an aggregate. */
  sealed interface Expr {
    double eval(Aggregate aggregate);

    default void collect(Set<String> countFilters, Set<String> sketchFields) {}
  }

  record Number(double number) implements Expr {
    @Override
    public double eval(Aggregate aggregate) {
      return number;
    }
  }

  /** {@code count(all)}, {@code count(errors)} or {@code count(<KQL>)} (filter non-null). */
  record Count(String filter, boolean errors) implements Expr {
    @Override
    public double eval(Aggregate aggregate) {
      if (filter != null) {
        return aggregate.matching(filter);
      }
      return errors ? aggregate.errors() : aggregate.count();
    }

    @Override
    public void collect(Set<String> countFilters, Set<String> sketchFields) {
      if (filter != null && countFilters != null) {
        countFilters.add(filter);
      }
    }
  }

  /** {@code sum}, {@code avg}, {@code min} or {@code max} of a numeric field. */
  record FieldFunction(String function, String field) implements Expr {
    @Override
    public double eval(Aggregate aggregate) {
      return switch (function) {
        case "sum" -> aggregate.sum(field);
        case "avg" -> aggregate.avg(field);
        case "min" -> aggregate.min(field);
        case "max" -> aggregate.max(field);
        default -> throw new IllegalStateException("unknown function " + function);
      };
    }
  }

  record Percentile(String field, double percentile) implements Expr {
    @Override
    public double eval(Aggregate aggregate) {
      return aggregate.percentile(field, percentile);
    }

    @Override
    public void collect(Set<String> countFilters, Set<String> sketchFields) {
      if (sketchFields != null) {
        sketchFields.add(field);
      }
    }
  }

  record Negate(Expr operand) implements Expr {
    @Override
    public double eval(Aggregate aggregate) {
      return -operand.eval(aggregate);
    }

    @Override
    public void collect(Set<String> countFilters, Set<String> sketchFields) {
      operand.collect(countFilters, sketchFields);
    }
  }

  record Binary(char operator, Expr left, Expr right) implements Expr {
    @Override
    public double eval(Aggregate aggregate) {
      double l = left.eval(aggregate);
      double r = right.eval(aggregate);
      double result =
          switch (operator) {
            case '+' -> l + r;
            case '-' -> l - r;
            case '*' -> l * r;
            case '/' -> r == 0 ? Double.NaN : l / r;
            default -> throw new IllegalStateException("unknown operator " + operator);
          };
      return Double.isInfinite(result) ? Double.NaN : result;
    }

    @Override
    public void collect(Set<String> countFilters, Set<String> sketchFields) {
      left.collect(countFilters, sketchFields);
      right.collect(countFilters, sketchFields);
    }
  }
}
