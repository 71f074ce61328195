package io.llmlog.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightedQuantilesTest {
  @Test
  void grid_isIncreasingFromZeroToHundred_andHoldsTheReportedPercentiles() {
    double[] grid = WeightedQuantiles.GRID;

    assertThat(grid[0]).isZero();
    assertThat(grid[grid.length - 1]).isEqualTo(100.0);
    for (int i = 1; i < grid.length; i++) {
      assertThat(grid[i] - grid[i - 1])
          .isPositive()
          .isLessThanOrEqualTo(WeightedQuantiles.MAX_RANK_ERROR + 1e-9);
    }
    assertThat(Arrays.stream(grid).boxed().toList()).contains(50.0, 95.0, 99.0, 98.1, 99.9);
  }

  @Test
  void percentile_oneClass_isThatClassesGridValue() {
    double[] values = nearestRankGrid(sortedUniform(10_000, 1));

    WeightedQuantiles.WeightClass only = new WeightedQuantiles.WeightClass(10, 10_000, values);

    for (double p : new double[] {50, 95, 99}) {
      int index = Arrays.binarySearch(WeightedQuantiles.GRID, p);
      assertThat(WeightedQuantiles.percentile(List.of(only), p))
          .isCloseTo(values[index], org.assertj.core.data.Percentage.withPercentage(1e-9));
    }
  }

  @Test
  void percentile_noValues_isNull() {
    double[] empty = new double[WeightedQuantiles.GRID.length];
    Arrays.fill(empty, Double.NaN);

    assertThat(
            WeightedQuantiles.percentile(
                List.of(new WeightedQuantiles.WeightClass(1, 0, empty)), 95))
        .isNull();
    assertThat(WeightedQuantiles.percentile(List.of(), 95)).isNull();
  }

  /**
   * Sampling's shape: fast successes kept at 10 % (weight 10), every slow call and error kept
   * (weight 1). The exact weighted p95 of the stored calls, computed from the values themselves,
   * must be within the stated rank error of the mixture estimate, and the unweighted p95 must not.
   */
  @Test
  void
      percentile_sampledSuccessesAndKeptSlowCalls_isWithinOnePercentagePointOfTheExactWeightedRank() {
    Random random = new Random(42);
    double[] successes = new double[9_000];
    for (int i = 0; i < successes.length; i++) {
      successes[i] = Math.exp(7 + 0.5 * random.nextGaussian());
    }
    double[] kept = new double[3_000];
    for (int i = 0; i < kept.length; i++) {
      kept[i] = 4000 + Math.exp(8 + 0.7 * random.nextGaussian());
    }
    Arrays.sort(successes);
    Arrays.sort(kept);
    List<WeightedQuantiles.WeightClass> classes =
        List.of(
            new WeightedQuantiles.WeightClass(10, successes.length, nearestRankGrid(successes)),
            new WeightedQuantiles.WeightClass(1, kept.length, nearestRankGrid(kept)));

    for (double p : new double[] {50, 95, 99}) {
      double estimate = WeightedQuantiles.percentile(classes, p);
      double below = weightedRankBelow(successes, kept, estimate);
      double atOrBelow = weightedRankAtOrBelow(successes, kept, estimate);
      assertThat(atOrBelow)
          .as("p%s", p)
          .isGreaterThanOrEqualTo(p - WeightedQuantiles.MAX_RANK_ERROR);
      assertThat(below).as("p%s", p).isLessThanOrEqualTo(p + WeightedQuantiles.MAX_RANK_ERROR);
    }
    double[] all = new double[successes.length + kept.length];
    System.arraycopy(successes, 0, all, 0, successes.length);
    System.arraycopy(kept, 0, all, successes.length, kept.length);
    Arrays.sort(all);
    double unweightedP95 = all[(int) Math.ceil(0.95 * all.length) - 1];
    assertThat(weightedRankBelow(successes, kept, unweightedP95))
        .isGreaterThan(95 + WeightedQuantiles.MAX_RANK_ERROR);
  }

  @Test
  void cdf_betweenGridPoints_interpolates() {
    double[] values = new double[WeightedQuantiles.GRID.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = WeightedQuantiles.GRID[i] * 10;
    }

    assertThat(WeightedQuantiles.cdf(values, -1)).isZero();
    assertThat(WeightedQuantiles.cdf(values, 505))
        .isCloseTo(0.505, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(WeightedQuantiles.cdf(values, 1000)).isEqualTo(1.0);
    assertThat(WeightedQuantiles.cdf(values, 5000)).isEqualTo(1.0);
  }

  /** What the engine answers for a class: the nearest-rank value at each grid percent. */
  private static double[] nearestRankGrid(double[] sorted) {
    double[] grid = new double[WeightedQuantiles.GRID.length];
    for (int i = 0; i < grid.length; i++) {
      int rank = (int) Math.max(1, Math.ceil(WeightedQuantiles.GRID[i] / 100 * sorted.length));
      grid[i] = sorted[rank - 1];
    }
    return grid;
  }

  private static double[] sortedUniform(int n, long seed) {
    Random random = new Random(seed);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextDouble() * 1000;
    }
    Arrays.sort(values);
    return values;
  }

  private static double weightedRankBelow(double[] successes, double[] kept, double x) {
    return 100
        * (10.0 * Arrays.stream(successes).filter(v -> v < x).count()
            + Arrays.stream(kept).filter(v -> v < x).count())
        / (10.0 * successes.length + kept.length);
  }

  private static double weightedRankAtOrBelow(double[] successes, double[] kept, double x) {
    return 100
        * (10.0 * Arrays.stream(successes).filter(v -> v <= x).count()
            + Arrays.stream(kept).filter(v -> v <= x).count())
        / (10.0 * successes.length + kept.length);
  }
}
