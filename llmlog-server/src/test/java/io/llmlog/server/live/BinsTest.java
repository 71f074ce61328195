package io.llmlog.server.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinsTest {
  /** Latency-like values: log-normal around 800 ms, from under 100 ms to tens of seconds. */
  private static double[] values(long seed, int n) {
    Random random = new Random(seed);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = 800 * Math.exp(0.9 * random.nextGaussian());
    }
    return values;
  }

  /** The value at the nearest rank, as the engine's HDR percentiles pick it. */
  private static double exact(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.max(1, Math.ceil(p / 100 * sorted.length));
    return sorted[rank - 1];
  }

  private static Bins bins(double[] values) {
    Bins bins = new Bins();
    for (double v : values) {
      bins.add(v, 1);
    }
    return bins;
  }

  @Test
  void percentile_isWithinHalfABucketOfTheExactValueAtThatRank() {
    double[] values = values(3, 20_000);

    Bins bins = bins(values);

    assertThat(bins.total()).isEqualTo(values.length);
    for (double p : new double[] {0.1, 1, 50, 95, 99, 99.9, 100}) {
      assertThat(bins.percentile(p))
          .as("p%s", p)
          .isCloseTo(exact(values, p), withPercentage(100.0 / 256));
    }
  }

  @Test
  void merge_throughJson_isThePercentileOfAllValues() {
    double[] a = values(5, 7_000);
    double[] b = values(7, 3_000);
    double[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);

    Bins merged = Bins.fromJson(bins(a).toJson());
    merged.merge(Bins.fromJson(bins(b).toJson()));

    assertThat(merged.total()).isEqualTo(both.length);
    for (double p : new double[] {50, 95, 99}) {
      assertThat(merged.percentile(p))
          .as("p%s", p)
          .isCloseTo(exact(both, p), withPercentage(100.0 / 256));
    }
  }

  @Test
  void toJson_anHourOfLatencies_takesAFewKilobytes() {
    String encoded = bins(values(11, 60_000)).toJson().path("b").asText();

    assertThat(encoded.length()).isLessThan(4_000);
  }

  @Test
  void add_copiesZeroAndValuesNotKept() {
    Bins bins = new Bins();
    bins.add(0, 3);
    bins.add(250, 2);
    bins.add(-1, 5);
    bins.add(Double.NaN, 5);
    bins.add(Double.POSITIVE_INFINITY, 5);

    assertThat(bins.total()).isEqualTo(5);
    assertThat(bins.percentile(50)).isLessThan(1e-300);
    assertThat(bins.percentile(100)).isCloseTo(250, withPercentage(100.0 / 256));
  }

  @Test
  void fromJson_notItsForm_isRefusedWithAReason() {
    JsonNodeFactory json = JsonNodeFactory.instance;

    assertThatThrownBy(() -> Bins.fromJson(json.objectNode().putArray("v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encoded");
    assertThatThrownBy(() -> Bins.fromJson(json.objectNode().put("b", "gA==")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cut short");
  }

  @Test
  void percentile_empty_isNaN() {
    assertThat(new Bins().percentile(50)).isNaN();
  }
}
