package io.llmlog.server.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import java.util.Random;
import org.HdrHistogram.DoubleHistogram;
import org.HdrHistogram.PackedDoubleHistogram;
import org.junit.jupiter.api.Test;

class BinsTest {
  private static DoubleHistogram sketch(long seed, int values) {
    Random random = new Random(seed);
    DoubleHistogram sketch = new PackedDoubleHistogram(Accumulator.SIGNIFICANT_DIGITS);
    for (int i = 0; i < values; i++) {
      sketch.recordValueWithCount(
          800 * Math.exp(0.9 * random.nextGaussian()), 1 + random.nextInt(4));
    }
    return sketch;
  }

  @Test
  void percentile_ofASketchsBuckets_isTheSketchsPercentile() {
    DoubleHistogram sketch = sketch(3, 20_000);

    Bins bins = Bins.of(sketch);

    assertThat(bins.total()).isEqualTo(sketch.getTotalCount());
    for (double p : new double[] {1, 50, 95, 99, 99.9, 100}) {
      assertThat(bins.percentile(p))
          .as("p%s", p)
          .isCloseTo(sketch.getValueAtPercentile(p), withPercentage(0.1));
    }
  }

  @Test
  void merge_throughJson_isTheMergedSketchsPercentile() {
    DoubleHistogram a = sketch(5, 7_000);
    DoubleHistogram b = sketch(7, 3_000);
    Bins merged = Bins.fromJson(Bins.of(a).toJson());
    merged.merge(Bins.fromJson(Bins.of(b).toJson()));
    DoubleHistogram both = a.copy();
    both.add(b);

    for (double p : new double[] {50, 95, 99}) {
      assertThat(merged.percentile(p))
          .as("p%s", p)
          .isCloseTo(both.getValueAtPercentile(p), withPercentage(0.2));
    }
  }

  @Test
  void percentile_empty_isNaN() {
    assertThat(new Bins().percentile(50)).isNaN();
  }
}
