package io.llmlog.server.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Percentiles of calls that were stored with different sample weights, from the engine's
 * (unweighted) percentiles of each weight class.
 *
 * <p>Sampling keeps every error and slow call (weight 1) and a fraction r of the rest (weight 1/r),
 * so the stored calls over-represent errors and slow calls: their plain p95 is too high. The engine
 * cannot weight a percentile (and has no scripts), but within one weight class every call counts
 * the same, so the engine's HDR percentiles of a class are right for that class. The distribution
 * of all calls is the mixture of the classes, each in proportion to weight × count: {@code F(x) = Σ
 * wₖ nₖ Fₖ(x) / Σ wₖ nₖ}. Each class's cumulative distribution {@code Fₖ} is read from its
 * percentiles at the {@link #GRID} and interpolated linearly between them; the weighted p-th
 * percentile is the smallest x with {@code F(x) ≥ p}.
 *
 * <p>Accuracy: between two grid points the true {@code Fₖ} and the interpolation both lie between
 * the two points' percent ranks, so each class's rank is off by at most the grid step there, and
 * the mixture's rank by at most the largest step: 1 percentage point (0.5 from p90 and 0.1 from
 * p98, where the ranks of p95 and p99 of most classes fall). The result lies between the exact
 * weighted percentiles at p − 1 and p + 1, each within HDR's relative error of 10⁻³. With a single
 * class the interpolation passes through the grid point, so the result is that class's HDR
 * percentile unchanged.
 */
final class WeightedQuantiles {
  /** The percents asked of each class: steps of 1 up to 90, of 0.5 up to 98, of 0.1 up to 100. */
  static final double[] GRID = grid();

  /** The largest rank error of a result, in percentage points (the grid's largest step). */
  static final double MAX_RANK_ERROR = 1.0;

  /**
   * One weight class: its weight, how many of its calls have the value, and the value at each
   * percent of {@link #GRID} (non-decreasing; null entries are skipped).
   */
  record WeightClass(double weight, long count, double[] values) {}

  private WeightedQuantiles() {}

  private static double[] grid() {
    List<Double> percents = new ArrayList<>();
    for (int p = 0; p < 90; p++) {
      percents.add((double) p);
    }
    for (int half = 180; half < 196; half++) {
      percents.add(half / 2.0);
    }
    for (int tenth = 980; tenth <= 1000; tenth++) {
      // Parsed from text, as the engine echoes the percents, so keys match exactly (98.1, not
      // 98.10000000000001).
      percents.add(Double.parseDouble(tenth / 10 + "." + tenth % 10));
    }
    return percents.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The weighted {@code percent}-th percentile of the classes together, or null when no class has a
   * value.
   */
  static Double percentile(List<WeightClass> classes, double percent) {
    List<WeightClass> used =
        classes.stream()
            .filter(c -> c.count() > 0 && c.weight() > 0 && finite(c.values()) > 0)
            .toList();
    if (used.isEmpty()) {
      return null;
    }
    double mass = used.stream().mapToDouble(c -> c.weight() * c.count()).sum();
    double target = percent / 100.0;
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    for (WeightClass c : used) {
      for (double v : c.values()) {
        if (!Double.isNaN(v)) {
          low = Math.min(low, v);
          high = Math.max(high, v);
        }
      }
    }
    if (mixture(used, mass, low) >= target) {
      return low;
    }
    // F is non-decreasing and F(high) = 1: bisect for the smallest x with F(x) >= target.
    for (int i = 0; i < 200 && high - low > Math.max(1e-12, Math.abs(high) * 1e-12); i++) {
      double middle = low + (high - low) / 2;
      if (mixture(used, mass, middle) >= target) {
        high = middle;
      } else {
        low = middle;
      }
    }
    return high;
  }

  private static double mixture(List<WeightClass> classes, double mass, double x) {
    double sum = 0;
    for (WeightClass c : classes) {
      sum += c.weight() * c.count() * cdf(c.values(), x);
    }
    return sum / mass;
  }

  /**
   * A class's cumulative distribution at x: the rank of the last grid point at or below x, linearly
   * interpolated towards the next point above; 0 below the first and 1 at or above the last.
   */
  static double cdf(double[] values, double x) {
    int below = -1;
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i]) && values[i] <= x) {
        below = i;
      }
    }
    if (below < 0) {
      return 0;
    }
    int above = below + 1;
    while (above < values.length && Double.isNaN(values[above])) {
      above++;
    }
    if (above >= values.length) {
      return 1;
    }
    double fraction = (x - values[below]) / (values[above] - values[below]);
    return (GRID[below] + fraction * (GRID[above] - GRID[below])) / 100.0;
  }

  private static long finite(double[] values) {
    return Arrays.stream(values).filter(v -> !Double.isNaN(v)).count();
  }
}
